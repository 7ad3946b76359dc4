"""The records that flow from crawl to index. Pipelines fill them in; the index stores them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oniondex.page import Page


@dataclass
class PageRecord:
    """One fetched page. `page` carries the raw bytes to the extraction pipelines and is never indexed."""

    url: str
    site: str
    fetched_at: str
    status: int
    depth: int = 0
    title: str = ""
    text: str = ""
    language: str = "und"
    content_type: str = ""
    encoding: str = ""
    sha256: str = ""
    out_links: list[str] = field(default_factory=list)
    onion_links: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    seed_tags: list[str] = field(default_factory=list)
    case: str = ""
    entities: list[dict[str, Any]] = field(default_factory=list)
    listings: list[dict[str, Any]] = field(default_factory=list)
    vendors: list[dict[str, Any]] = field(default_factory=list)
    page: Page | None = field(default=None, repr=False, compare=False)

    @property
    def doc_id(self) -> str:
        """Stable id: the same URL always lands on the same document, so a recrawl updates it."""
        return self.url

    def to_document(self) -> dict[str, Any]:
        """The indexable fields (everything but the raw page)."""
        doc = {k: v for k, v in self.__dict__.items() if k != "page"}
        doc["id"] = self.doc_id
        return doc


@dataclass
class SiteReport:
    """How one seed site fared in a crawl: what the end-of-crawl summary prints."""

    site: str
    state: str = "unknown"  # see oniondex.liveness.STATES
    pages: int = 0
    timeouts: int = 0
    failures: int = 0
    last_error: str = ""
