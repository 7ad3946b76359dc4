"""Search results with each page's mirror copies folded into one hit ("and 2 mirrors").

Done outside the index, from the cluster store: cluster membership changes as pages arrive, and keeping
it in every indexed document would mean rewriting a whole cluster's pages (and a mapping version) each
time; folding after the search works the same on both backends. Hits fold when their sites are in one
cluster and they are the same page (path and query) of it; a flagged phishing clone is never folded (an
analyst must see it). The first, best-ranked hit stays and lists the other sites in `mirrors`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from oniondex.index.base import SearchHit, SearchQuery, SearchResult

if TYPE_CHECKING:
    from oniondex.clusters.model import Cluster
    from oniondex.index.base import Index

SCAN = 100  # hits fetched per round
MAX_SCANNED = 2_000  # a page of collapsed hits is built from at most this many hits


def mirror_groups(clusters: list[Cluster]) -> dict[str, str]:
    """site -> cluster id, for every member that is not a flagged clone."""
    return {site: cluster.id for cluster in clusters for site in cluster.mirrors}


def collapsed_search(index: Index, query: SearchQuery, groups: Mapping[str, str]) -> SearchResult:
    """`index.search(query)` with mirror copies folded; `total` is the index's, `collapsed` counts the hits
    folded among those scanned to fill this page."""
    wanted = query.offset + query.limit
    kept: dict[tuple[str, str], SearchHit] = {}
    folded = scanned = 0
    first: SearchResult | None = None
    while len(kept) < wanted and scanned < MAX_SCANNED:
        result = index.search(replace(query, offset=scanned, limit=SCAN))
        first = first or result
        for hit in result.hits:
            key = _key(hit, groups)
            if key in kept:
                if hit.site not in kept[key].mirrors and hit.site != kept[key].site:
                    kept[key] = replace(kept[key], mirrors=(*kept[key].mirrors, hit.site))
                folded += 1
            else:
                kept[key] = hit
        scanned += SCAN
        if len(result.hits) < SCAN:
            break
    assert first is not None
    hits = list(kept.values())[query.offset : wanted]
    return replace(first, hits=hits, collapsed=folded)


def _key(hit: SearchHit, groups: Mapping[str, str]) -> tuple[str, str]:
    group = groups.get(hit.site)
    if group is None:
        return hit.id, ""
    parts = urlsplit(hit.url)
    return group, parts.path + (f"?{parts.query}" if parts.query else "")
