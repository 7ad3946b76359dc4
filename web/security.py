"""Keeping crawled pages inert in the analyst's browser.

- Every response carries a strict Content-Security-Policy: no scripts at all, styles and images from
  oniondex only, no frames, forms post only to oniondex, no plugins, no base-URI tricks.
- Crawled text reaches templates only through Jinja's autoescaping or the two filters here, which escape
  every crawled character and add only markup of our own (<mark>, and links to oniondex's own pivots).
- Captured HTML is never rendered: pages are shown as their extracted text. Crawled URLs are never
  links out; they are shown as text and linked to oniondex's own page view.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oniondex.index.analysis import split_matches

CSP = (
    "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; font-src 'none'; "
    "connect-src 'self'; form-action 'self'; frame-src 'none'; frame-ancestors 'none'; object-src 'none'; "
    "base-uri 'none'; manifest-src 'none'; media-src 'none'; worker-src 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cache-control": "no-store",
}
_ONION_RE = re.compile(r"\b[a-z2-7]{56}\.onion\b")
MAX_LINKED_VALUES = 500


class SecurityHeaders:
    """ASGI middleware adding HEADERS to every response, errors and static files included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def marked(snippet: str, matches: Iterable[Sequence[int]] = ()) -> Markup:
    """A snippet with the index's matches (character offsets) in <mark>: every crawled character escaped, so a
    crawled "<mark>" shows as text, never as a highlight."""
    segments = split_matches(snippet, matches)
    pieces = (f"<mark>{escape(text)}</mark>" if hit else str(escape(text)) for text, hit in segments)
    return Markup("".join(pieces))  # noqa: S704 - every crawled piece escaped above


def linked_text(text: str, entities: Iterable[dict[str, Any]] = ()) -> Markup:
    """Crawled text, escaped, with each known entity value and onion address a link to its pivot."""
    values = sorted({str(e["value"]) for e in entities if e.get("value")}, key=len, reverse=True)[:MAX_LINKED_VALUES]
    parts = [re.escape(v) for v in values] + [_ONION_RE.pattern]
    pattern = re.compile("|".join(parts))
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        value = match.group()
        href = site_url(value) if _ONION_RE.fullmatch(value) and value not in values else entity_url(value)
        out.append(f'{escape(text[last : match.start()])}<a class="pivot" href="{escape(href)}">{escape(value)}</a>')
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))  # noqa: S704 - crawled text escaped above; hrefs are our own paths


def entity_url(value: str) -> str:
    return "/entity/" + quote(value, safe="")


def site_url(onion: str) -> str:
    return "/site/" + quote(onion, safe="")


def vendor_url(name: str) -> str:
    return "/vendor/" + quote(name, safe="")


def page_url(url: str, sha256: str = "") -> str:
    params = {"url": url, **({"sha256": sha256} if sha256 else {})}
    return "/page?" + urlencode(params)


def search_url(query: str, **params: Any) -> str:
    return "/search?" + urlencode({"q": query, **{k: v for k, v in params.items() if v not in (None, "")}})


def local_path(target: str, default: str = "/search") -> str:
    """A redirect target that stays on oniondex (a path, never `//host` or a scheme)."""
    ok = target.startswith("/") and not target.startswith(("//", "/\\")) and "\n" not in target and "\r" not in target
    return target if ok else default
