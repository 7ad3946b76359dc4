"""The one index interface. The embedded backend and the Elasticsearch backend both implement it;
`oniondex search`, the pipelines and the web UI use nothing else (tests/index/ is its contract)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

# The facets every search returns, each a {value: page count} of the top FACET_SIZE values.
FACETS = ("site", "language", "tags", "entity_type", "currency")
FACET_SIZE = 20


@dataclass(frozen=True)
class SearchQuery:
    """Full text plus filters. Every filter narrows; an empty query matches every page.

    `date_from`/`date_to` bound the page's fetch time (ISO 8601, inclusive). `price_min`/`price_max`
    and `currency` keep pages with at least one listing in range / in that currency.
    """

    text: str = ""
    site: str | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()
    entity: str | None = None  # an exact normalised entity value: "where else does this appear?"
    entity_type: str | None = None  # pages carrying at least one entity of this type (BTC, pgp, telegram…)
    date_from: str | None = None
    date_to: str | None = None
    price_min: float | None = None
    price_max: float | None = None
    currency: str | None = None
    # (term, drug tag) pairs (oniondex.argot.query.word_tags): a page matches such a term of `text` by
    # spelling it or by carrying the tag, so 필로폰 also finds the sale pages that wrote it in slang.
    word_tags: tuple[tuple[str, str], ...] = ()
    limit: int = 10
    offset: int = 0  # any depth: backends page past their result windows themselves

    def exact_filters(self) -> dict[str, str]:
        """The filters that are one exact keyword each, by the field they match, as every backend applies them."""
        fields = {
            "site": self.site,
            "language": self.language,
            "entity": self.entity,
            "entity_type": self.entity_type,
            "currency": self.currency,
        }
        return {name: value for name, value in fields.items() if value}


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
    # (start, end) character offsets of the matched words in `snippet`. Never markup: the snippet is crawled
    # text, which may itself contain "<mark>"; a reader escapes it and marks these spans (`segments`).
    matches: tuple[tuple[int, int], ...] = ()
    # Other sites whose copy of this page was folded into this hit (oniondex.clusters.collapse; never set
    # by a backend).
    mirrors: tuple[str, ...] = ()

    def segments(self) -> list[tuple[str, bool]]:
        """The snippet as (text, is_match) pieces, for a renderer that escapes each piece."""
        from oniondex.index.analysis import split_matches

        return split_matches(self.snippet, self.matches)

    @classmethod
    def from_source(cls, doc_id: str, source: dict[str, Any], score: float, text_query: str) -> SearchHit:
        """A hit from a stored page document; both backends make snippets the same way (analysis.py)."""
        from oniondex.index.analysis import make_snippet, match_spans

        snippet = make_snippet(source.get("text", ""), text_query)
        return cls(
            id=doc_id,
            url=source["url"],
            site=source["site"],
            title=source.get("title", ""),
            snippet=snippet,
            score=float(score),
            fetched_at=source.get("fetched_at", ""),
            language=source.get("language", "und"),
            matches=match_spans(snippet, text_query),
        )


@dataclass
class SearchResult:
    """`total` and `facets` are exact unless `estimated`: then they are counted on a sample of the index
    (`sample_fraction` of its pages) and scaled up, and the hits are the best of that sample."""

    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    estimated: bool = False
    sample_fraction: float = 1.0
    collapsed: int = 0  # hits folded into a mirror's hit (oniondex.clusters.collapse.collapsed_search)


@dataclass(frozen=True)
class Seen:
    """Where an entity was seen: a page (key = url), a site (key = onion) or a vendor (key = name)."""

    key: str
    site: str
    first_seen: str
    last_seen: str
    pages: int = 1


@dataclass
class Pivot:
    """Everything known about one entity value, across the whole index."""

    value: str
    types: list[str]
    pages: list[Seen]
    sites: list[Seen]
    vendors: list[Seen]
    first_seen: str = ""
    last_seen: str = ""


@dataclass
class BulkResult:
    """What one `add_pages` did. Failed documents carry their id and the backend's error type."""

    indexed: int = 0
    failed: list[FailedDocument] = field(default_factory=list)


@dataclass(frozen=True)
class FailedDocument:
    id: str
    index: str
    reason: str  # the error type, e.g. strict_dynamic_mapping_exception; stats key oniondex/index/bulk_failed/<reason>
    detail: str = ""
    document: dict[str, Any] = field(default_factory=dict, compare=False)


class IndexError_(RuntimeError):
    """The index could not do what was asked; the message says which index and why."""


class IndexUnavailable(IndexError_):
    """The index cannot be reached at all (server down, connection refused). Callers spool and retry later."""


class Index(Protocol):
    """Pages keyed by a stable id (the URL): adding a page with an id already indexed replaces it, and a page
    whose content changed also keeps its earlier version. Entities, listings, vendors and sites are derived
    from the pages and kept in their own document kinds (see documents.py)."""

    def add_pages(self, documents: Iterable[dict[str, Any]]) -> BulkResult: ...

    def commit(self) -> None: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def pivot(self, entity_value: str) -> Pivot: ...

    def get(self, doc_id: str) -> dict[str, Any] | None: ...

    def versions(self, url: str) -> list[dict[str, Any]]: ...

    def count(self, kind: str = "pages") -> int: ...

    def close(self) -> None: ...
