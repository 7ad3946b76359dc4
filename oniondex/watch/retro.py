"""Retro-hunt: a new watch reports at once where the index has already seen its value (from `Index.pivot`
and `Index.search`), and records those pages as seen, so the crawl alerts only on what is new."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from oniondex.index.base import SearchQuery
from oniondex.vendors.names import normalise_name
from oniondex.watch.records import Alert, Watch

if TYPE_CHECKING:
    from oniondex.index.base import Index
    from oniondex.watch.store import WatchStore

MAX_RETRO_ALERTS = 200  # per new watch; every past page is still recorded as seen
VENDOR_CANDIDATES = 1_000


@dataclass(frozen=True)
class Past:
    url: str
    site: str
    first_seen: str
    last_seen: str
    snippet: str = ""


def retro_hunt(
    store: WatchStore,
    index: Index,
    watch: Watch,
    channels: Iterable[str] = (),
    capture_of: Callable[[str], str] = lambda url: "",
    notify: Callable[[Alert], None] | None = None,
) -> list[Alert]:
    """Alerts (kind `retro`) for the pages the index already holds for a new watch, oldest first."""
    if watch.kind in ("page", "site"):
        _baseline(store, index, watch)
        return []
    alerts = []
    for past in _past(index, watch):
        new_page, _ = store.add_sighting(watch.id, past.url, past.site, past.first_seen)
        if not new_page or len(alerts) >= MAX_RETRO_ALERTS:
            continue
        alert = Alert(
            watch_id=watch.id, analyst=watch.analyst, kind="retro", watch_kind=watch.entity_type or watch.kind,
            value=watch.value, url=past.url, site=past.site, snippet=past.snippet, capture=capture_of(past.url),
            seen_at=past.first_seen, detail=f"seen before the watch: {past.first_seen} .. {past.last_seen}",
        )  # fmt: skip
        alerts.append(store.add_alert(alert, channels))
        if notify is not None:
            notify(alerts[-1])
    return alerts


def _past(index: Index, watch: Watch) -> list[Past]:
    if watch.kind == "entity":
        pivot = index.pivot(watch.value)
        return [
            Past(s.key, s.site, s.first_seen, s.last_seen, _entity_snippet(index, s.key, watch.value))
            for s in pivot.pages
        ]
    if watch.kind == "query":
        assert watch.query is not None
        hits = index.search(replace(watch.query, limit=MAX_RETRO_ALERTS, offset=0)).hits
        return [Past(h.url, h.site, h.fetched_at, h.fetched_at, h.snippet) for h in hits]
    if watch.kind == "vendor":
        # The index has no vendor filter: the name as a phrase proposes pages, their vendor records decide.
        hits = index.search(SearchQuery(text=f'"{watch.label or watch.value}"', limit=VENDOR_CANDIDATES)).hits
        found = []
        for hit in hits:
            doc = index.get(hit.id) or {}
            names = [v.get("name", "") for v in doc.get("vendors", [])] + [
                x.get("vendor", "") for x in doc.get("listings", [])
            ]
            named = next((n for n in names if n and normalise_name(n) == watch.value), None)
            if named is not None:
                found.append(Past(hit.url, hit.site, hit.fetched_at, hit.fetched_at, f"vendor {named}"))
        return found
    return []


def _entity_snippet(index: Index, url: str, value: str) -> str:
    doc: dict[str, Any] = index.get(url) or {}
    return next((str(e.get("snippet", "")) for e in doc.get("entities", []) if e.get("value") == value), "")


def _baseline(store: WatchStore, index: Index, watch: Watch) -> None:
    """A page or site watch starts from what the index last saw, so the next crawl can tell a change."""
    if watch.kind == "page":
        doc = index.get(watch.value)
        if doc is not None:
            store.set_state(watch.id, present=True, sha256=str(doc.get("sha256", "")))
        return
    hits = index.search(SearchQuery(site=watch.value, limit=1)).hits
    if hits:
        front = index.get(f"http://{watch.value}/")
        store.set_state(watch.id, present=True, sha256=str((front or {}).get("sha256", "")))
