"""Checking captures against the watches: the crawl's pipeline (and anything else that fetches pages) hands
each capture to `Watcher.check`, the crawl's per-site outcomes to `Watcher.finish`, and the freshly indexed
pages to `Watcher.check_queries`; each returns the alerts it stored."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from oniondex.vendors.names import normalise_name
from oniondex.watch.records import Alert, Capture, Watch
from oniondex.watch.values import page_key

if TYPE_CHECKING:
    from oniondex.extraction import PageExtraction
    from oniondex.index.base import Index
    from oniondex.watch.store import WatchStore

QUERY_HITS = 500  # new matches of one saved query looked at per crawl
# A site's fetch outcomes (crawler/failures.py, the spider's site_result) that say it is not there.
GONE_STATES = ("down", "timeout", "moved", "seized", "error")

Notify = Callable[[Alert], None]


def site_outcome(states: Iterable[str]) -> tuple[str, str]:
    """("up" | "gone" | "", why) from every outcome of one site's fetches in a crawl. One page served means
    up, unless the front page showed a seizure banner; tor_error alone says nothing about the site."""
    seen = set(states)
    if "seized" in seen:
        return "gone", "seized (a seizure banner on the front page)"
    if "up" in seen:
        return "up", ""
    failed = sorted(seen & set(GONE_STATES))
    return ("gone", "unreachable: " + ", ".join(failed)) if failed else ("", "")


class Watcher:
    def __init__(self, store: WatchStore, channels: Iterable[str] = (), notify: Notify | None = None) -> None:
        self.store = store
        self.channels = tuple(channels)
        self.notify = notify
        self.reload()

    def reload(self) -> None:
        """Reads the watches again (a crawl reads them once, at its start)."""
        self.entities: dict[tuple[str, str], list[Watch]] = defaultdict(list)
        self.vendors: dict[str, list[Watch]] = defaultdict(list)
        self.pages: dict[str, list[Watch]] = defaultdict(list)
        self.sites: dict[str, list[Watch]] = defaultdict(list)
        self.queries: list[Watch] = []
        for watch in self.store.watches():
            if watch.kind == "entity":
                self.entities[(watch.entity_type, watch.value)].append(watch)
            elif watch.kind == "vendor":
                self.vendors[watch.value].append(watch)
            elif watch.kind == "page":
                self.pages[watch.value].append(watch)
            elif watch.kind == "site":
                self.sites[watch.value].append(watch)
            elif watch.kind == "query":
                self.queries.append(watch)
        self.fetched: set[str] = set()  # page keys answered in this crawl (a dead site's pages were not)

    @property
    def empty(self) -> bool:
        return not (self.entities or self.vendors or self.pages or self.sites or self.queries)

    def check(self, capture: Capture) -> list[Alert]:
        alerts: list[Alert] = []
        key = page_key(capture.url)
        self.fetched.add(key)
        if capture.extraction is not None:
            alerts += self._sightings(capture, capture.extraction)
        for watch in self.pages.get(key, ()):
            alerts += self._page(watch, capture)
        if capture.depth == 0 and not capture.gone:
            for watch in self.sites.get(capture.site, ()):
                alerts += self._front_page(watch, capture)
        return alerts

    def _sightings(self, capture: Capture, found: PageExtraction) -> list[Alert]:
        alerts = []
        for entity in found.entities:
            for watch in self.entities.get((entity.type, entity.value), ()):
                alerts += self._sighting(watch, capture, entity.snippet)
        names = {v.name_normalised or normalise_name(v.name): f"vendor {v.name}" for v in found.vendors}
        for listing in found.listings:
            if listing.vendor:
                names.setdefault(normalise_name(listing.vendor), f"{listing.vendor}: {listing.title}")
        for name, snippet in names.items():
            for watch in self.vendors.get(name, ()):
                alerts += self._sighting(watch, capture, snippet)
        return alerts

    def _sighting(self, watch: Watch, capture: Capture, snippet: str) -> list[Alert]:
        new_page, new_site = self.store.add_sighting(watch.id, capture.url, capture.site, capture.fetched_at)
        if not new_page:
            return []
        detail = "first sighting on this site" if new_site else "new page on a site already seen"
        return [self._alert(watch, "sighting", capture, snippet, detail)]

    def _page(self, watch: Watch, capture: Capture) -> list[Alert]:
        state = self.store.state(watch.id)
        if capture.gone:
            self.store.set_state(watch.id, present=False)
            if state is None or state[0]:
                return [self._alert(watch, "gone", capture, "", f"HTTP {capture.status}")]
            return []
        if capture.extraction is None:
            return []
        self.store.set_state(watch.id, present=True, sha256=capture.sha256)
        snippet = capture.extraction.title or capture.extraction.text[:200]
        if state is not None and not state[0]:
            return [self._alert(watch, "back", capture, snippet, f"HTTP {capture.status}")]
        if state is not None and state[1] and state[1] != capture.sha256:
            return [self._alert(watch, "changed", capture, snippet, f"sha256 {state[1]} -> {capture.sha256}")]
        return []

    def _front_page(self, watch: Watch, capture: Capture) -> list[Alert]:
        state = self.store.state(watch.id)
        present = state[0] if state else True  # gone/back are decided per site in finish()
        self.store.set_state(watch.id, present=present, sha256=capture.sha256)
        if state is not None and state[0] and state[1] and state[1] != capture.sha256:
            snippet = capture.extraction.title if capture.extraction else ""
            return [
                self._alert(watch, "changed", capture, snippet, f"front page sha256 {state[1]} -> {capture.sha256}")
            ]
        return []

    def finish(self, outcomes: dict[str, tuple[str, str]], at: str) -> list[Alert]:
        """Gone and back, per site, once a crawl is over: `outcomes` maps each crawled site to `site_outcome`."""
        alerts = []
        for site, (outcome, why) in outcomes.items():
            capture = Capture(url="", site=site, fetched_at=at, status=0)
            for watch in self.sites.get(site, ()):
                state = self.store.state(watch.id)
                if outcome == "gone":
                    self.store.set_state(watch.id, present=False)
                    if state is None or state[0]:
                        alerts.append(self._alert(watch, "gone", capture, "", why))
                elif outcome == "up":
                    self.store.set_state(watch.id, present=True)
                    if state is not None and not state[0]:
                        alerts.append(self._alert(watch, "back", capture, "", "the site answers again"))
        for key, watches in self.pages.items():
            for watch in watches:
                site = page_site(key)
                outcome, why = outcomes.get(site, ("", ""))
                if outcome != "gone" or key in self.fetched:
                    continue
                state = self.store.state(watch.id)
                self.store.set_state(watch.id, present=False)
                if state is None or state[0]:
                    alerts.append(self._alert(watch, "gone", Capture(key, site, at, 0), "", f"site {why}"))
        return alerts

    def check_queries(self, index: Index, since: str, capture_of: Callable[[str], str] = lambda url: "") -> list[Alert]:
        """Saved queries against the pages indexed since `since` (the crawl's start): each page a query
        matches for the first time is an alert."""
        alerts = []
        for watch in self.queries:
            assert watch.query is not None
            query = watch.query
            date_from = since if not query.date_from or query.date_from < since else query.date_from
            result = index.search(replace(query, date_from=date_from, limit=QUERY_HITS, offset=0))
            for hit in result.hits:
                new_page, _ = self.store.add_sighting(watch.id, hit.url, hit.site, hit.fetched_at)
                if new_page:
                    capture = Capture(hit.url, hit.site, hit.fetched_at, record_id=capture_of(hit.url))
                    alerts.append(self._alert(watch, "query", capture, hit.snippet, f"matches {watch.label!r}"))
        return alerts

    def _alert(self, watch: Watch, kind: str, capture: Capture, snippet: str, detail: str) -> Alert:
        alert = Alert(
            watch_id=watch.id, analyst=watch.analyst, kind=kind, watch_kind=watch.entity_type or watch.kind,
            value=watch.value, url=capture.url, site=capture.site, snippet=snippet, capture=capture.record_id,
            seen_at=capture.fetched_at, detail=detail,
        )  # fmt: skip
        stored = self.store.add_alert(alert, self.channels)
        if self.notify is not None:
            self.notify(stored)
        return stored


def page_site(key: str) -> str:
    return (urlsplit(key).hostname or "").lower()
