"""Where pages are indexed. `open_index(url)` picks the backend from the URL:

- a path or `embedded://PATH`: the embedded tantivy index (the default, no server);
- `http(s)://HOST:PORT`: Elasticsearch (see the Elasticsearch issue).
"""

from __future__ import annotations

from pathlib import Path

from oniondex.index.base import Index, IndexError_, SearchHit, SearchQuery, SearchResult

__all__ = ["Index", "IndexError_", "SearchHit", "SearchQuery", "SearchResult", "open_index"]


def open_index(url: str | Path) -> Index:
    target = str(url)
    if target.startswith(("http://", "https://")):
        raise IndexError_(f"{target}: the Elasticsearch backend is not built yet; use a path for the embedded index")
    from oniondex.index.embedded import EmbeddedIndex

    return EmbeddedIndex(target.removeprefix("embedded://"))
