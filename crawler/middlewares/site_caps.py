"""A page cap per site (ONIONDEX_MAX_PAGES_PER_SITE, or the request.meta key of that name), counted over
all depths: link floods and crawler traps end here even when each page is shallow.

Over-cap requests are dropped when the spider schedules them (signal request_scheduled), so a link flood
never fills the queue with thousands of requests that would each wait their turn only to be dropped. The
count there is of requests admitted to the scheduler (a retry or redirect of an admitted one is not new;
one the scheduler's seen set refuses gives its place back; a resumed crawl's pending requests, which come
back from the frontier without being scheduled again, hold theirs from the start). The downloader keeps the
cap on fetches too, counted on from the pages the first run fetched. Neither counts a retry again: after a
Tor restart a page may wait and retry several times, and counting each try dropped the last pages of the
largest sites.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from crawler import signals as oniondex_signals

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

# request.meta keys (copied to a request's retries and redirects): it holds a place under its site's count
# of requests scheduled, of requests fetched.
ADMITTED = "oniondex_site_admitted"
FETCHED = "oniondex_site_fetched"


def _site(request: Request) -> str:
    return urlsplit(request.url).hostname or ""


class SitePageCapMiddleware:
    def __init__(self, cap: int, stats: StatsCollector) -> None:
        self.cap = cap
        self.stats = stats
        self.requested: Counter[str] = Counter()  # fetches started
        self.admitted: Counter[str] = Counter()  # requests taken into the scheduler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SitePageCapMiddleware:
        assert crawler.stats is not None
        middleware = cls(crawler.settings.getint("ONIONDEX_MAX_PAGES_PER_SITE"), crawler.stats)
        crawler.signals.connect(middleware.resumed, signal=oniondex_signals.frontier_resumed)
        crawler.signals.connect(middleware.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(middleware.request_dropped, signal=signals.request_dropped)
        return middleware

    def resumed(self, done: dict[str, int], pending: dict[str, int]) -> None:
        """A resumed crawl counts the pages its first run already fetched, and holds the places of the requests
        it left pending: the first run admitted them, and they come back without being scheduled again. Not
        holding them let new links take their places, and the fetch cap then dropped a pending page that the
        killed run had already indexed (its metadata record not yet on disk, so not counted as fetched): one
        page over the cap (tests/crawl/test_resume.py, 61 of 60)."""
        self.requested.update(done)
        self.admitted.update(done)
        self.admitted.update(pending)

    def _cap(self, request: Request) -> int:
        return request.meta.get("ONIONDEX_MAX_PAGES_PER_SITE", self.cap)

    def request_scheduled(self, request: Request, spider: Spider | None = None) -> None:
        """Raising IgnoreRequest here makes Scrapy's engine drop the request before the scheduler."""
        self._count(request, self.admitted, ADMITTED)

    def request_dropped(self, request: Request, spider: Spider | None = None) -> None:
        """The scheduler refused it (already seen): it will not be fetched, so its place is free again."""
        if request.meta.pop(ADMITTED, False):
            self.admitted[_site(request)] -= 1

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        self._count(request, self.requested, FETCHED)

    def _count(self, request: Request, counts: Counter[str], mark: str) -> None:
        """Give `request` a place under its site's cap in `counts`, marked in its meta, or drop it."""
        if request.meta.get(mark):
            return  # a retry or redirect continues a request already counted
        site, cap = _site(request), self._cap(request)
        if counts[site] >= cap:
            self.stats.inc_value("oniondex/site_cap/dropped")
            raise IgnoreRequest(f"{site} reached its cap of {cap} pages")
        counts[site] += 1
        request.meta[mark] = True
