"""Dead onions fail fast: a site that has not answered yet and whose fetch Tor answers as unreachable
(0xF0 descriptor not found, 0xF2 introduction failed, a refused stream, a general failure) is not
retried: each retry would hold a slot as long as Tor takes to give up (10-30 s or more). The failure
goes straight to the spider, whose report makes the scheduler drop the site's queue. A timeout is
retried (it may be the network's or the machine's, not the site's), and so is any failure of a site
that has answered once: one failed page does not make a site dead. For OUTAGE_GRACE seconds after an
outage announced by TorOutageMiddleware (signal tor_outage: Tor itself unreachable, or still slow after
that) everything is retried: a restarted Tor answers "unreachable" until it has fetched descriptors again.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

from crawler import signals as oniondex_signals
from crawler.failures import DOWN, classify_exception

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector


# Seconds after the last announced Tor outage (crawler/middlewares/tor_outage.py) that no site is judged dead.
OUTAGE_GRACE = 120.0


def request_site(request: Request) -> str:
    return (urlsplit(request.url).hostname or "").lower()


class DeadSiteMiddleware:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.answered: set[str] = set()
        self.last_outage = float("-inf")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeadSiteMiddleware:
        assert crawler.stats is not None
        if not crawler.settings.getbool("ONIONDEX_DEAD_SITE_FAIL_FAST"):
            raise NotConfigured("ONIONDEX_DEAD_SITE_FAIL_FAST is off")
        middleware = cls(crawler.stats)
        crawler.signals.connect(middleware.tor_outage, signal=oniondex_signals.tor_outage)
        return middleware

    def tor_outage(self) -> None:
        self.last_outage = time.monotonic()

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        self.answered.add(request_site(request))
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Spider | None = None) -> None:
        if classify_exception(exception) != DOWN or request_site(request) in self.answered:
            return
        if time.monotonic() - self.last_outage < OUTAGE_GRACE:
            return
        request.meta["dont_retry"] = True
        self.stats.inc_value("oniondex/dead_site/not_retried")
