"""When Tor itself is unreachable, requests wait and retry with backoff instead of failing their sites.

They never go out another way: the retried request goes back through the same proxy middleware. After
ONIONDEX_TOR_OUTAGE_MAX_WAIT seconds of outage the crawl stops with the close reason tor_unavailable
(stat oniondex/tor/unavailable): grinding on would only mark every remaining site tor_error.

A Tor client that has just come back answers "onion unreachable" (descriptor not found, introduction
failed) for every site until it has fetched descriptors again, and is slow to answer at all while it
builds a circuit for every site at once. So for OUTAGE_GRACE seconds after Tor was last unreachable, such
a failure or a timeout waits and retries the same way (stat oniondex/tor/after_outage_retries) instead of
going to RetryMiddleware, whose quick retries would all land in that window and lose the page (with 256
slots and a 4 s timeout, tests/tor lost 81 pages so within 20 s of a restart). Every outage is announced
(signal tor_outage) so the dead-site logic does not judge sites meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from scrapy.utils.defer import deferred_from_coro

from crawler import signals as oniondex_signals
from crawler.failures import DOWN, TIMEOUT, TOR_ERROR, classify_exception
from crawler.middlewares.dead_site import OUTAGE_GRACE

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)
CLOSE_REASON = "tor_unavailable"


class TorOutageMiddleware:
    def __init__(self, crawler: Crawler, stats: StatsCollector, first_wait: float, max_wait: float) -> None:
        self.crawler = crawler
        self.stats = stats
        self.first_wait = first_wait
        self.max_wait = max_wait
        self.last_outage = float("-inf")
        self._closing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TorOutageMiddleware:
        assert crawler.stats is not None
        settings = crawler.settings
        return cls(
            crawler,
            crawler.stats,
            settings.getfloat("ONIONDEX_TOR_OUTAGE_FIRST_WAIT"),
            settings.getfloat("ONIONDEX_TOR_OUTAGE_MAX_WAIT"),
        )

    async def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Request | None:
        state = classify_exception(exception)
        if state == TOR_ERROR:
            self.last_outage = time.monotonic()
            self.crawler.signals.send_catch_log(oniondex_signals.tor_outage)
        elif state in (DOWN, TIMEOUT) and time.monotonic() - self.last_outage < OUTAGE_GRACE:
            self.stats.inc_value("oniondex/tor/after_outage_retries")
        else:
            return None
        waited = request.meta.get("oniondex_tor_waited", 0.0)
        if waited >= self.max_wait:
            if state != TOR_ERROR:
                return None  # the site's own failure after all: the usual retries
            self.stats.inc_value("oniondex/tor/outage_gave_up")
            logger.error("Tor proxy still unreachable after %.0f s; giving up on %s", waited, request.url)
            self._close_crawl()
            return None
        delay = min(max(self.first_wait, waited), self.max_wait - waited)
        self.stats.inc_value("oniondex/tor/outage_retries")
        why = "Tor proxy unreachable" if state == TOR_ERROR else f"onion {state} just after a Tor outage"
        logger.warning("%s (%s); retrying %s in %.0f s", why, exception, request.url, delay)
        await asyncio.sleep(delay)
        retry = request.replace(dont_filter=True)
        retry.meta["oniondex_tor_waited"] = waited + delay
        return retry

    def _close_crawl(self) -> None:
        if self._closing:
            return
        self._closing = True
        self.stats.set_value("oniondex/tor/unavailable", 1)
        logger.error("Tor has been unreachable longer than ONIONDEX_TOR_OUTAGE_MAX_WAIT: stopping the crawl")
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=CLOSE_REASON))
