"""The typed records of watchlists: a watch, a capture it is checked against, an alert."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oniondex.extraction import PageExtraction
    from oniondex.index.base import SearchQuery

# entity: an identifier the extractor finds (`entity_type` says which: BTC, XMR, ETH, pgp, telegram, phone,
# onion, …); vendor: a vendor name (normalised as vendor links compare names); query: a saved search;
# page: one URL (changed, gone, back); site: one onion (its front page changed, the site gone, back).
WATCH_KINDS = ("entity", "vendor", "query", "page", "site")
# sighting: first seen on a page (detail says whether the site is new too); retro: seen before the watch
# existed (retro-hunt); query: a saved query newly matches a page; changed/gone/back: a watched page or site.
ALERT_KINDS = ("sighting", "retro", "query", "changed", "gone", "back")
GONE_STATUSES = (404, 410)


@dataclass(frozen=True)
class Watch:
    id: int
    analyst: str
    kind: str
    value: str  # normalised: what captures are compared with
    entity_type: str = ""  # entity watches only
    label: str = ""  # the analyst's note, or the query as typed
    query: SearchQuery | None = None  # query watches only
    created_at: str = ""

    @property
    def title(self) -> str:
        return f"{self.entity_type or self.kind} {self.label or self.value}"


@dataclass(frozen=True)
class Capture:
    """One fetch of a page, as the watches see it: `extraction` is None for an answer without a page (404)."""

    url: str
    site: str
    fetched_at: str
    status: int = 200
    sha256: str = ""
    depth: int = 0
    record_id: str = ""  # the WARC-Record-ID of the capture, where the crawl kept one
    extraction: PageExtraction | None = None

    @property
    def gone(self) -> bool:
        return self.status in GONE_STATUSES


@dataclass(frozen=True)
class Alert:
    """What an analyst is told, with its evidence: the page, the capture's WARC record, a snippet, when."""

    watch_id: int
    analyst: str
    kind: str
    watch_kind: str
    value: str
    url: str = ""
    site: str = ""
    snippet: str = ""
    capture: str = ""  # WARC-Record-ID, when known
    seen_at: str = ""
    detail: str = ""
    id: int = 0
    created_at: str = ""
    read: bool = False

    @property
    def summary(self) -> str:
        where = self.url or self.site
        return f"{self.kind}: {self.watch_kind} {self.value}" + (f" on {where}" if where else "")
