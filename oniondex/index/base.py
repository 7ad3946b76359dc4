"""The one index interface. The embedded backend and the Elasticsearch backend both implement it;
`oniondex search`, the pipelines and the web UI use nothing else."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    site: str | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()
    entity: str | None = None  # an exact normalised entity value: "where else does this appear?"
    limit: int = 10
    offset: int = 0


@dataclass(frozen=True)
class SearchHit:
    id: str
    url: str
    site: str
    title: str
    snippet: str
    score: float
    fetched_at: str
    language: str


@dataclass
class SearchResult:
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


class IndexError_(RuntimeError):
    """The index could not do what was asked; the message says which index and why."""


class Index(Protocol):
    """Pages keyed by a stable id: adding a page with an id already indexed replaces it."""

    def add_pages(self, documents: Iterable[dict[str, Any]]) -> int: ...

    def commit(self) -> None: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def get(self, doc_id: str) -> dict[str, Any] | None: ...

    def count(self) -> int: ...

    def close(self) -> None: ...
