"""Seed lists: the onion URLs and Telegram channels investigators watch, one per line, with optional
tags, case id and note.

    # comment
    http://<56 chars>.onion/path  tags=market,ko  case=2026-017  note=free text to the end of line
    http://<56 chars>.onion/      session=vault-case17   (an investigator session: `oniondex session`)
    t.me/some_channel             tags=telegram   case=2026-017
    @other_channel   (or https://t.me/s/other_channel)

Every onion host is checked against the v3 address rules, every channel against Telegram's username
rules; problems name the file and line. A channel seed is normalised to https://t.me/s/NAME.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from oniondex.onion import OnionAddressError, normalise_onion
from oniondex.telegram.usernames import TELEGRAM_HOSTS, UsernameError, preview_url, username_from_reference

_KEYS = ("tags", "case", "note", "session")
_FIELD_RE = re.compile(r"\s+(tags|case|note|session)=")


@dataclass(frozen=True)
class Seed:
    url: str
    site: str
    tags: tuple[str, ...] = ()
    case: str = ""
    note: str = ""
    channel: str = ""  # a Telegram channel's username; empty for an onion seed
    session: str = ""  # the name of an investigator session in the session store (onion seeds only)

    @property
    def is_channel(self) -> bool:
        return bool(self.channel)


@dataclass(frozen=True)
class SeedProblem:
    path: str
    line: int
    message: str
    is_error: bool = True

    def __str__(self) -> str:
        kind = "error" if self.is_error else "warning"
        return f"{self.path}:{self.line}: {kind}: {self.message}"


class SeedError(ValueError):
    """A seed list with errors; `problems` lists every one with file and line."""

    def __init__(self, problems: list[SeedProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class SeedList:
    seeds: list[Seed] = field(default_factory=list)
    problems: list[SeedProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[SeedProblem]:
        return [p for p in self.problems if p.is_error]


def parse_seed_line(text: str) -> Seed:
    """One non-comment line to a Seed; raises ValueError with a reader's message."""
    parts = _FIELD_RE.split(" " + text.strip())
    url = parts[0].strip()
    if " " in url:
        raise ValueError(f"expected one URL then key=value fields ({', '.join(_KEYS)}), got {text.strip()!r}")
    fields = dict(zip(parts[1::2], (v.strip() for v in parts[2::2]), strict=True))
    tags = tuple(t.strip().lower() for t in fields.get("tags", "").split(",") if t.strip())
    case, note = fields.get("case", ""), fields.get("note", "")
    if is_channel_reference(url):
        try:
            channel = username_from_reference(url)
        except UsernameError as exc:
            raise ValueError(str(exc)) from exc
        return Seed(preview_url(channel), f"t.me/{channel}", tags, case, note, channel)
    session = fields.get("session", "")
    return Seed(normalise_seed_url(url), normalise_seed_url(url).split("/")[2], tags, case, note, session=session)


def is_channel_reference(text: str) -> bool:
    """Does a seed name a Telegram channel (@NAME, t.me/…, telegram.me/…, tg://) rather than an onion URL?"""
    if text.startswith("@") or text.lower().startswith("tg://"):
        return True
    host = urlsplit(text if "://" in text else "http://" + text).hostname or ""
    return host in TELEGRAM_HOSTS


def normalise_seed_url(url: str) -> str:
    """http(s)://<v3 onion>/path with the host lowercased; raises ValueError otherwise."""
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"{url!r}: only http and https onion URLs can be crawled")
    host = parts.hostname or ""
    if not host.endswith(".onion"):
        raise ValueError(
            f"{url!r} is not an onion URL: oniondex crawls .onion sites (and Telegram channels) only, "
            "never the clearnet"
        )
    try:
        onion = normalise_onion(host)
    except OnionAddressError as exc:
        raise ValueError(str(exc)) from exc
    netloc = onion if parts.port in (None, 80 if parts.scheme == "http" else 443) else f"{onion}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


def load_seeds(path: str | Path) -> SeedList:
    """Parse a seed file; every problem is collected (not just the first), duplicates are dropped."""
    result = SeedList()
    seen: set[str] = set()
    name = str(path)
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            seed = parse_seed_line(line)
        except ValueError as exc:
            result.problems.append(SeedProblem(name, number, str(exc)))
            continue
        if seed.url in seen:
            result.problems.append(SeedProblem(name, number, f"duplicate of an earlier line: {seed.url}", False))
            continue
        seen.add(seed.url)
        result.seeds.append(seed)
    return result


def load_seeds_strict(path: str | Path) -> list[Seed]:
    """The seeds of a file with no errors; raises SeedError listing every error otherwise."""
    seeds = load_seeds(path)
    if seeds.errors:
        raise SeedError(seeds.errors)
    return seeds.seeds
