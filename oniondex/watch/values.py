"""A watch's value as the crawl will compare it: normalised exactly as the entity extractor normalises what
it finds, by running the extractor's own finders on the value the analyst typed (so `@Seoul_Ice`, `t.me/seoul_ice`
and `seoul_ice` are one handle, a phone in any format is E.164, an ETH address lowercase)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from w3lib.url import canonicalize_url

from oniondex.entities.contacts import CONTACT_FINDERS, find_telegram_bare
from oniondex.entities.extract import ENTITY_TYPES
from oniondex.entities.finders import COIN_FINDERS, Found
from oniondex.onion import OnionAddressError, normalise_onion
from oniondex.vendors.names import normalise_name

MAX_VALUE_CHARS = 2_000
_FINDERS: tuple[Callable[[str], Iterator[Found]], ...] = (*COIN_FINDERS, *CONTACT_FINDERS, find_telegram_bare)
_TYPES = {t.lower(): t for t in ENTITY_TYPES}
_HEX_FINGERPRINT_RE = re.compile(r"[0-9A-F]{40}")
# Types whose finders want a label before the value ("threema: ABCD1234"); the analyst types the value alone.
_LABELLED = ("telegram", "threema", "wickr", "session")


class WatchValueError(ValueError):
    """A value that cannot be watched as given; the message says why."""


def entity_type_of(name: str) -> str:
    """An entity type as the extractor spells it (btc → BTC), or "" for "find out" (entity, handle)."""
    if name.lower() in ("entity", "handle", ""):
        return ""
    try:
        return _TYPES[name.lower()]
    except KeyError:
        raise WatchValueError(f"unknown entity type {name!r}: one of {', '.join(ENTITY_TYPES)}") from None


def normalise_entity(raw: str, entity_type: str = "", handles_only: bool = False) -> tuple[str, str]:
    """(type, value) of the one identifier `raw` is, as extraction would report it on a page."""
    text = _bounded(raw)
    if entity_type == "pgp" or (not entity_type and _is_fingerprint(text)):
        return "pgp", _fingerprint(text)
    for candidate, start in _candidates(text, entity_type):
        for finder in _FINDERS:
            for found in finder(candidate):
                wanted = found.type == entity_type if entity_type else not handles_only or found.type in _LABELLED
                if wanted and found.start <= start and found.end == len(candidate):
                    return found.type, found.value
    kind = entity_type or ("handle" if handles_only else "identifier")
    raise WatchValueError(f"{raw!r} is not a valid {kind} (checksums and formats as the extractor checks them)")


def _candidates(text: str, entity_type: str) -> Iterator[tuple[str, int]]:
    """The value as typed, then with the label or @ its finder needs; `start` is where the value must begin."""
    yield text, 0
    bare = text.lstrip("@")
    if entity_type in ("", "telegram"):
        yield "@" + bare, 0
    for label in _LABELLED if not entity_type else (entity_type,) if entity_type in _LABELLED else ():
        prefix = f"{label}: "
        yield prefix + bare, len(prefix)


def _is_fingerprint(text: str) -> bool:
    return bool(_HEX_FINGERPRINT_RE.fullmatch(re.sub(r"\s+", "", text.upper()).removeprefix("0X")))


def _fingerprint(text: str) -> str:
    # The extractor reports a v4 key's fingerprint as 40 upper-case hex digits without spaces (entities/pgp.py).
    value = re.sub(r"\s+", "", text.upper()).removeprefix("0X")
    if not _HEX_FINGERPRINT_RE.fullmatch(value):
        raise WatchValueError(f"{text!r} is not a PGP fingerprint (40 hex digits, spaces allowed)")
    return value


def normalise_vendor(raw: str) -> str:
    value = normalise_name(_bounded(raw))
    if not value:
        raise WatchValueError(f"{raw!r} has no letters or digits to match a vendor name on")
    return value


def normalise_site(raw: str) -> str:
    text = _bounded(raw)
    host = urlsplit(text).hostname if "://" in text else text.split("/", 1)[0]
    try:
        return normalise_onion(host or "")
    except OnionAddressError as exc:
        raise WatchValueError(f"{raw!r} is not a v3 onion site: {exc}") from None


def page_key(url: str) -> str:
    """One spelling per page URL (host case, default path, query order, fragment), for the crawl's URLs too."""
    return canonicalize_url(url.strip())


def normalise_page(raw: str) -> str:
    text = _bounded(raw)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise WatchValueError(f"{raw!r} is not a page URL (http://….onion/…)")
    normalise_site(parts.hostname or "")
    return page_key(text)


def normalise_watch(kind: str, raw: str) -> tuple[str, str, str]:
    """(watch kind, entity type, value) for `oniondex watch add KIND VALUE` and the web form: KIND is an
    entity type (btc, pgp, telegram, phone, onion…), `entity` or `handle` (found out from the value),
    `vendor`, `page` or `site`. Query watches are parsed by the caller (web.query)."""
    name = kind.strip().lower()
    if name == "vendor":
        return "vendor", "", normalise_vendor(raw)
    if name == "page":
        return "page", "", normalise_page(raw)
    if name == "site":
        return "site", "", normalise_site(raw)
    entity_type, value = normalise_entity(raw, entity_type_of(name), handles_only=name == "handle")
    return "entity", entity_type, value


def _bounded(raw: str) -> str:
    text = raw.strip()
    if not text:
        raise WatchValueError("an empty value cannot be watched")
    if len(text) > MAX_VALUE_CHARS:
        raise WatchValueError(f"a watched value is at most {MAX_VALUE_CHARS} characters")
    return text
