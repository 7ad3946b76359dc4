"""A page cap per site (ONIONDEX_MAX_PAGES_PER_SITE, or the request.meta key of that name), counted over
all depths: link floods and crawler traps end here even when each page is shallow."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

from crawler import signals as oniondex_signals

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class SitePageCapMiddleware:
    def __init__(self, cap: int, stats: StatsCollector) -> None:
        self.cap = cap
        self.stats = stats
        self.requested: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SitePageCapMiddleware:
        assert crawler.stats is not None
        middleware = cls(crawler.settings.getint("ONIONDEX_MAX_PAGES_PER_SITE"), crawler.stats)
        crawler.signals.connect(middleware.resumed, signal=oniondex_signals.frontier_resumed)
        return middleware

    def resumed(self, done: dict[str, int]) -> None:
        """A resumed crawl counts the pages its first run already fetched."""
        self.requested.update(done)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if request.meta.get("redirect_times"):
            return  # a redirect continues a request already counted
        site = urlsplit(request.url).hostname or ""
        cap = request.meta.get("ONIONDEX_MAX_PAGES_PER_SITE", self.cap)
        if self.requested[site] >= cap:
            self.stats.inc_value("oniondex/site_cap/dropped")
            raise IgnoreRequest(f"{site} reached its cap of {cap} pages")
        self.requested[site] += 1
