"""Dead onions fail fast: a site that has not answered yet and whose fetch fails as down or timeout
(Tor's 0xF0 descriptor not found, 0xF2 introduction failed, a refused or expired stream, a download
timeout) is not retried. Each retry would hold a slot for as long as Tor takes to give up (10-30 s or
more); the failure goes straight to the spider, whose report makes the scheduler drop the site's queue.
A site that has answered once is retried as usual: one failed page does not make it dead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crawler.failures import DOWN, TIMEOUT, classify_exception

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector


def _site(request: Request) -> str:
    return (urlsplit(request.url).hostname or "").lower()


class DeadSiteMiddleware:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.answered: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeadSiteMiddleware:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        self.answered.add(_site(request))
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Spider | None = None) -> None:
        if _site(request) in self.answered or classify_exception(exception) not in (DOWN, TIMEOUT):
            return
        request.meta["dont_retry"] = True
        self.stats.inc_value("oniondex/dead_site/not_retried")
