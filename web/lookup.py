"""What each view shows, as plain JSON-ready data: the HTML pages, the JSON API and the exports are all
built from these functions, so the three always agree. Only the `Index` interface (oniondex.index.base) is
used, plus the liveness store for site states.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from oniondex.clusters.collapse import collapsed_search, mirror_groups
from oniondex.config import DataLayout
from oniondex.index import Index, SearchQuery
from oniondex.liveness import LivenessStore
from oniondex.tagging import classify
from oniondex.vendors import Link, find_vendor
from oniondex.vendors.store import correlate_store
from web.query import paged, parse

PER_PAGE = 20
DATE_SORT_CAP = 1000  # sort-by-date reorders at most this many best matches (the index sorts by score only)
EXPORT_CAP = 10_000
PIVOT_TITLES = 200  # pages whose titles a pivot looks up
SITE_PAGES = 200
_HIT_FIELDS = ("id", "url", "site", "title", "snippet", "matches", "score", "fetched_at", "language", "mirrors")


def search(
    index: Index,
    text: str,
    page: int = 1,
    sort: str = "relevance",
    per_page: int = PER_PAGE,
    mirrors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """`mirrors` (site -> cluster id, oniondex.clusters.collapse.mirror_groups) folds mirror copies of a page."""
    parsed = parse(text)
    if sort == "date":
        result = index.search(replace(parsed.query, limit=DATE_SORT_CAP, offset=0))
        ordered = sorted(result.hits, key=lambda h: h.fetched_at, reverse=True)
        start = (max(page, 1) - 1) * per_page
        hits = ordered[start : start + per_page]
    elif mirrors is not None:
        result = collapsed_search(index, paged(parsed.query, page, per_page), mirrors)
        hits = result.hits
    else:
        result = index.search(paged(parsed.query, page, per_page))
        hits = result.hits
    return {
        "query": text,
        "sort": sort,
        "page": max(page, 1),
        "per_page": per_page,
        "total": result.total,
        "estimated": result.estimated,  # total and facets counted on a sample of a huge match set (SearchResult)
        "sorted_among": min(result.total, DATE_SORT_CAP) if sort == "date" else result.total,
        "hits": [{name: getattr(hit, name) for name in _HIT_FIELDS} for hit in hits],
        "collapse": mirrors is not None,
        "collapsed": result.collapsed,
        "facets": result.facets,
        "filters": [{"name": name, "value": value} for name, value in parsed.filters],
        "ignored": list(parsed.ignored),
    }


def search_all(index: Index, text: str, sort: str = "relevance") -> dict[str, Any]:
    """Every hit (up to EXPORT_CAP), for exports."""
    return search(index, text, page=1, sort=sort, per_page=EXPORT_CAP if sort != "date" else DATE_SORT_CAP)


def entity(index: Index, value: str) -> dict[str, Any]:
    pivot = index.pivot(value)
    titles = {seen.key: _title(index, seen.key) for seen in pivot.pages[:PIVOT_TITLES]}
    return {
        "value": pivot.value,
        "types": pivot.types,
        "first_seen": pivot.first_seen,
        "last_seen": pivot.last_seen,
        "pages": [_seen(s, "url") | {"title": titles.get(s.key, "")} for s in pivot.pages],
        "sites": [_seen(s, "site") for s in pivot.sites],
        "vendors": [_seen(s, "name") for s in pivot.vendors],
    }


def vendor(index: Index, name: str, layout: DataLayout) -> dict[str, Any]:
    """A vendor across markets, from the crawl's vendor store: its view on each site (profile page,
    identifiers, first and last seen) and the links between them, strong (a shared PGP key, payout
    address or contact) or weak (the name only), each with its evidence."""
    correlation = correlate_store(layout.vendor_db, layout.cluster_db)
    groups = find_vendor(correlation, name)
    links = [_link(link) for link in {link for group in groups for link in correlation.links_of(group)}]
    links.sort(key=lambda link: (link["strength"] != "strong", -len(link["sites"]), link["type"], link["value"]))
    views = sorted((view for group in groups for view in group), key=lambda view: view.first_seen)
    sites = [
        {
            "site": view.site,
            "name": view.name,
            "first_seen": view.first_seen,
            "last_seen": view.last_seen,
            "listing_count": view.listing_count,
            "pages": [{"url": view.url, "title": _title(index, view.url), "how": "vendor profile"}] if view.url else [],
            "identifiers": [{"type": "pgp", "value": fp} for fp in view.pgp]
            + [{"type": kind, "value": value} for kind, value in (*view.contacts, *view.payout)],
            "evidence": [link for link in links if view.site in link["sites"]],
        }
        for view in views
    ]
    return {"name": name, "sites": sites, "links": links}


def site(index: Index, onion: str, layout: DataLayout) -> dict[str, Any]:
    result = index.search(SearchQuery(site=onion, limit=SITE_PAGES))
    records = [r for hit in result.hits if (r := index.get(hit.id))]
    entities: dict[tuple[str, str], int] = defaultdict(int)
    for record in records:
        for e in {(e["type"], e["value"]) for e in record.get("entities", [])}:
            entities[e] += 1
    return {
        "site": onion,
        "title": _title(index, f"http://{onion}/"),
        "liveness": _liveness(layout.sites_db, onion),
        "total_pages": result.total,
        "pages": sorted(
            ({"url": r["url"], "title": r.get("title", ""), "fetched_at": r.get("fetched_at", "")} for r in records),
            key=lambda p: p["url"],
        ),
        "listings": [listing | {"page": r["url"]} for r in records for listing in r.get("listings", [])],
        "vendors": sorted({v for r in records for v in _vendor_names(r)}),
        "entities": [{"type": t, "value": v, "pages": n} for (t, v), n in sorted(entities.items())],
    }


def page(index: Index, url: str, sha256: str = "") -> dict[str, Any] | None:
    current = index.get(url)
    if current is None:
        return None
    versions = index.versions(url)
    record = next((v for v in versions if sha256 and v.get("sha256") == sha256), current)
    return {
        "url": record["url"],
        "site": record.get("site", ""),
        "title": record.get("title", ""),
        "text": record.get("text", ""),
        "language": record.get("language", ""),
        "fetched_at": record.get("fetched_at", ""),
        "status": record.get("status", ""),
        "content_type": record.get("content_type", ""),
        "sha256": record.get("sha256", ""),
        "current": record is current or record.get("sha256") == current.get("sha256"),
        "tags": list(record.get("tags", [])),
        "tag_evidence": _tag_evidence(record),
        "entities": [{k: e.get(k, "") for k in ("type", "value", "snippet")} for e in record.get("entities", [])],
        "listings": list(record.get("listings", [])),
        "vendors": list(record.get("vendors", [])),
        "out_links": list(record.get("out_links", [])),
        "onion_links": list(record.get("onion_links", [])),
        "versions": [
            {"sha256": v.get("sha256", ""), "fetched_at": v.get("fetched_at", ""), "title": v.get("title", "")}
            for v in versions
        ],
    }


def _tag_evidence(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Why the page carries its drug-trade tags: the tagger re-run on the stored title and text. The index
    keeps the tags, not their evidence, and the tagger is a pure function of the text; the crawl read the
    content without page chrome, so a tag may find no evidence here (the page view says so)."""
    tags = set(record.get("tags", []))
    if not tags:
        return []
    found = classify(f"{record.get('title', '')}\n{record.get('text', '')}")
    return [
        {
            "tag": decision.tag,
            "score": round(decision.score, 1),
            "evidence": [
                {"kind": e.kind, "text": e.text, "weight": e.weight, "note": e.note} for e in decision.evidence
            ],
        }
        for decision in found.decisions
        if decision.tag in tags
    ]


def _link(link: Link) -> dict[str, Any]:
    """A link for the page: a contact's kind as its type ("contact" values read "telegram:handle")."""
    kind, value = link.evidence, link.value
    if kind == "contact":
        kind, _, value = value.partition(":")
    sites = sorted({site for site, _ in link.members})
    return {"type": kind, "strength": link.strength, "value": value, "sites": sites}


def _seen(seen: Any, key_name: str) -> dict[str, Any]:
    row = asdict(seen)
    row[key_name] = row.pop("key")
    return row


def _title(index: Index, url: str) -> str:
    record = index.get(url)
    return str(record.get("title", "")) if record else ""


def _liveness(path: Path, onion: str) -> dict[str, Any] | None:
    if not path.exists():
        return None
    store = LivenessStore(path)
    try:
        return asdict(store.get(onion))
    finally:
        store.close()


def _vendor_names(record: dict[str, Any]) -> set[str]:
    names = {v.get("name") for v in record.get("vendors", [])} | {x.get("vendor") for x in record.get("listings", [])}
    return {str(n) for n in names if n}


def mirror_map(layout: DataLayout) -> dict[str, str]:
    """site -> cluster id from the cluster store (empty before any crawl clustered anything)."""
    if not layout.cluster_db.exists():
        return {}
    from oniondex.clusters.store import ClusterStore

    store = ClusterStore(layout.cluster_db)
    try:
        return mirror_groups(store.clusters())
    finally:
        store.close()
