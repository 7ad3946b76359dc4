"""`extract_entities`: every validated identifier on a page, once per (type, value), with provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from oniondex.entities.contacts import CONTACT_FINDERS, find_phones, find_telegram_bare, mentions_telegram
from oniondex.entities.finders import COIN_FINDERS, Found
from oniondex.entities.pgp import find_pgp_keys
from oniondex.entities.sources import WHERE, Channel, channels

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from oniondex.page import Page

ENTITY_TYPES = (
    "BTC", "ETH", "XMR", "LTC", "BCH", "DOGE", "TRX", "ZEC", "DASH",
    "onion", "email", "jabber", "pgp", "telegram", "phone", "session", "threema", "wickr", "kakao_openchat",
)  # fmt: skip
MAX_ENTITIES_PER_PAGE = 2_000
SNIPPET_CONTEXT = 40
_SPACES_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Entity:
    type: str
    value: str
    snippet: str
    offset: int  # character offset into the cleaned channel named by `where` (see sources.py)
    url: str
    site: str
    seen_at: str
    where: str  # text, href, attribute, comment
    kind: str = ""  # address kind (p2pkh, segwit, integrated, unchecksummed, …) where one applies
    fingerprint: str = ""  # pgp only, as are the three below
    key_id: str = ""
    user_ids: tuple[str, ...] = ()
    created: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The same as `dataclasses.asdict(self)`, without its deep copies (extraction's hot path)."""
        return {name: getattr(self, name) for name in _FIELD_NAMES}


_FIELD_NAMES = tuple(f.name for f in fields(Entity))


def extract_entities(page: Page, fetched_at: str | None = None) -> list[Entity]:
    seen_at = fetched_at or datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    found_channels = channels(page)
    telegram_page = any(mentions_telegram(channel.text) for channel in found_channels)
    entities: dict[tuple[str, str], Entity] = {}
    for channel in found_channels:
        for finder in _finders(channel, telegram_page):
            for found in finder(channel.text):
                key = (found.type, found.value)
                if key not in entities and len(entities) < MAX_ENTITIES_PER_PAGE:
                    entities[key] = _entity(page, seen_at, channel, found)
    ordered = sorted(entities.values(), key=lambda e: (WHERE.index(e.where), e.offset))
    return _drop_fingerprint_lookalikes(ordered)


def _finders(channel: Channel, telegram_page: bool) -> list[Callable[[str], Iterator[Found]]]:
    chosen: list[Callable[[str], Iterator[Found]]] = [find_pgp_keys, *COIN_FINDERS]
    chosen += [f for f in CONTACT_FINDERS if f is not find_phones or channel.where in ("text", "href")]
    if telegram_page and channel.where in ("text", "href"):
        chosen.append(find_telegram_bare)
    return chosen


def _entity(page: Page, seen_at: str, channel: Channel, found: Found) -> Entity:
    extra = dict(found.extra)
    if "user_ids" in extra:
        extra["user_ids"] = tuple(extra["user_ids"])
    return Entity(
        type=found.type,
        value=found.value,
        snippet=_snippet(channel.text, found),
        offset=found.start,
        url=page.url,
        site=page.host,
        seen_at=seen_at,
        where=channel.where,
        **extra,
    )


def _snippet(text: str, found: Found) -> str:
    end = min(found.end, found.start + 80)  # a PGP block is long; its first line is enough
    start, stop = max(0, found.start - SNIPPET_CONTEXT), min(len(text), end + SNIPPET_CONTEXT)
    return _SPACES_RE.sub(" ", text[start:stop]).strip()


def _drop_fingerprint_lookalikes(entities: list[Entity]) -> list[Entity]:
    """An 0x-prefixed 40-hex value that is a PGP fingerprint on the same page is the key, not a wallet."""
    fingerprints = {"0x" + e.value.lower() for e in entities if e.type == "pgp"}
    return [e for e in entities if not (e.type == "ETH" and e.value in fingerprints)]
