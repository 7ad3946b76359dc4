"""Cookies exported from Tor Browser: Netscape cookies.txt or JSON (a list of {name, value, domain, ...}),
kept only for the one site they belong to."""

from __future__ import annotations

import io
import json
from http.cookiejar import LoadError, MozillaCookieJar
from pathlib import Path

from oniondex.sessions.model import StoredCookie

_NETSCAPE_HEADER = "# Netscape HTTP Cookie File\n"


class CookieFileError(ValueError):
    """A cookie file that cannot be read; the message names the file."""


def belongs_to(domain: str, site: str) -> bool:
    domain = domain.lstrip(".").lower()
    return domain == site or site.endswith("." + domain)


def read_cookie_file(path: str | Path, site: str) -> tuple[tuple[StoredCookie, ...], int]:
    """The file's cookies of `site`, and how many cookies of other sites were left out."""
    text = Path(path).read_text(encoding="utf-8")
    cookies = _json(text, path) if text.lstrip().startswith(("[", "{")) else _netscape(text, path)
    mine = tuple(c for c in cookies if belongs_to(c.domain, site))
    return mine, len(cookies) - len(mine)


def _json(text: str, path: str | Path) -> list[StoredCookie]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CookieFileError(f"{path}: not JSON: {exc}") from exc
    items = data.get("cookies", []) if isinstance(data, dict) else data
    try:
        return [
            StoredCookie(
                str(c["name"]),
                str(c["value"]),
                str(c.get("domain") or c.get("host", "")),
                str(c.get("path", "/")),
                bool(c.get("secure", False)),
                int(c["expirationDate"]) if c.get("expirationDate") else None,
            )
            for c in items
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise CookieFileError(f"{path}: each cookie needs a name, a value and a domain ({exc})") from exc


def _netscape(text: str, path: str | Path) -> list[StoredCookie]:
    # http.cookiejar wants its header line (some exporters leave it out), and reads from a file object here
    # so that no copy of the cookies is written anywhere.
    header = "" if "HTTP Cookie File" in text.split("\n", 1)[0] else _NETSCAPE_HEADER
    jar = MozillaCookieJar()
    try:
        jar._really_load(io.StringIO(header + text), str(path), True, True)  # type: ignore[attr-defined]
    except LoadError as exc:
        raise CookieFileError(f"{path}: not a Netscape cookies.txt: {exc}") from exc
    # Exporters write 0 for a session cookie (no expiry): kept as one, not as expired in 1970.
    return [StoredCookie(c.name, c.value or "", c.domain, c.path, c.secure, c.expires or None) for c in jar]
