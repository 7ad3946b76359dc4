"""Where pages are indexed. `open_index(url)` picks the backend from the URL:

- a path or `embedded://PATH`: the embedded tantivy index (the default, no server);
- `http(s)://HOST:PORT[/PREFIX]`: Elasticsearch; PREFIX (default `oniondex`) names the indices and aliases.
"""

from __future__ import annotations

from pathlib import Path

from oniondex.index.base import (
    BulkResult,
    FailedDocument,
    Index,
    IndexError_,
    IndexUnavailable,
    Pivot,
    SearchHit,
    SearchQuery,
    SearchResult,
    Seen,
)

__all__ = [
    "BulkResult",
    "FailedDocument",
    "Index",
    "IndexError_",
    "IndexUnavailable",
    "Pivot",
    "SearchHit",
    "SearchQuery",
    "SearchResult",
    "Seen",
    "open_index",
]


def open_index(url: str | Path) -> Index:
    target = str(url)
    if target.startswith(("http://", "https://")):
        from oniondex.index.elastic import ElasticIndex

        return ElasticIndex.from_url(target)
    from oniondex.index.embedded import EmbeddedIndex

    return EmbeddedIndex(target.removeprefix("embedded://"))
