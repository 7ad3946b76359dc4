"""Progress while a crawl runs: one log line every ONIONDEX_PROGRESS_INTERVAL seconds, from the stats."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from twisted.internet import task

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
_DROPPED = ("oniondex/skipped/", "oniondex/site_cap/", "oniondex/blocked/")


class CrawlProgress:
    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        ext = cls(crawler, crawler.settings.getfloat("ONIONDEX_PROGRESS_INTERVAL"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        if self.interval > 0:
            self._loop = task.LoopingCall(self.log_progress)
            self._loop.start(self.interval, now=False)

    def log_progress(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        queued = stats.get_value("scheduler/enqueued", 0) - stats.get_value("scheduler/dequeued", 0)
        logger.info(
            "progress: %d pages, %d sites up, %d requests queued, %d dropped by caps and filters, %d Tor retries",
            stats.get_value("item_scraped_count", 0),
            stats.get_value("oniondex/sites/up", 0),
            queued,
            sum(v for k, v in stats.get_stats().items() if k.startswith(_DROPPED)),
            stats.get_value("oniondex/tor/outage_retries", 0),
        )

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._loop and self._loop.running:
            self._loop.stop()
