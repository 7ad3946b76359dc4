"""The records that flow from crawl to index. The spider makes them, pipelines fill them in, the index
stores their serialized form (oniondex/index/documents.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oniondex.extraction import PageExtraction

if TYPE_CHECKING:
    from oniondex.clusters.model import PageSketch
    from oniondex.entities.extract import Entity
    from oniondex.listings.records import ListingRecord
    from oniondex.page import Page
    from oniondex.vendors.records import VendorRecord


@dataclass
class PageRecord:
    """One fetched page: its crawl context and, once the extraction pipeline ran, its `extraction`.
    `page` carries the raw bytes to extraction and is never indexed."""

    url: str
    site: str
    fetched_at: str
    status: int
    depth: int = 0
    content_type: str = ""
    encoding: str = ""
    sha256: str = ""
    seed_tags: list[str] = field(default_factory=list)
    case: str = ""
    extraction: PageExtraction = field(default_factory=PageExtraction)
    page: Page | None = field(default=None, repr=False, compare=False)
    # The page's cluster sketch when the extraction process made it (pipelines/extraction.py); never indexed.
    sketch: PageSketch | None = field(default=None, repr=False, compare=False)

    def own_fields(self) -> dict[str, object]:
        """Fields a kind of record adds to its document (a Telegram post's channel, id, views...)."""
        return {}

    @property
    def doc_id(self) -> str:
        """Stable id: the same URL always lands on the same document, so a recrawl updates it."""
        return self.url

    # The extraction's fields, read through the record (the crawl's extensions count them).
    @property
    def title(self) -> str:
        return self.extraction.title

    @property
    def text(self) -> str:
        return self.extraction.text

    @property
    def language(self) -> str:
        return self.extraction.language

    @property
    def tags(self) -> tuple[str, ...]:
        return self.extraction.tags

    @property
    def entities(self) -> tuple[Entity, ...]:
        return self.extraction.entities

    @property
    def listings(self) -> tuple[ListingRecord, ...]:
        return self.extraction.listings

    @property
    def vendors(self) -> tuple[VendorRecord, ...]:
        return self.extraction.vendors


@dataclass
class SiteReport:
    """How one seed site fared in a crawl: what the end-of-crawl summary prints."""

    site: str
    state: str = "unknown"  # see oniondex.liveness.STATES
    pages: int = 0
    timeouts: int = 0
    failures: int = 0
    last_error: str = ""
