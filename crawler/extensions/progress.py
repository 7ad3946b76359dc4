"""Progress while a crawl runs: one log line every ONIONDEX_PROGRESS_INTERVAL seconds, from the stats.

With ONIONDEX_PACE_INTERVAL > 0 (bench/crawl.py sets it) also a `pace: {json}` line that often, of where the
request slots are: requests in the downloader, queued in the scheduler, responses waiting for the spider
and pipelines, whether the engine backs out and why, and the site window's state (crawler/pqueues/
site_window.py `pace_state`): what `python bench/crawl.py` sums up as "scheduling". The pace line also
says how late the reactor ran a timer due every LAG_PROBE_EVERY seconds (mean and worst since the last
line): a response waits that long in its socket before the reactor reads it, its slot held meanwhile.
"""

from __future__ import annotations

import json
import logging
import time
from typing import TYPE_CHECKING

from scrapy import signals
from twisted.internet import task

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
_DROPPED = ("oniondex/skipped/", "oniondex/site_cap/", "oniondex/blocked/")
LAG_PROBE_EVERY = 0.1


class ReactorLag:
    """How late a timer due every LAG_PROBE_EVERY seconds ran, since the last `take`."""

    def __init__(self) -> None:
        self._last: float | None = None
        self._lags: list[float] = []

    def tick(self) -> None:
        now = time.monotonic()
        if self._last is not None:
            self._lags.append(max(0.0, now - self._last - LAG_PROBE_EVERY))
        self._last = now

    def take(self) -> dict[str, float]:
        lags, self._lags = self._lags, []
        mean = sum(lags) / len(lags) if lags else 0.0
        return {"reactor_lag_ms": round(mean * 1000, 1), "reactor_lag_max_ms": round(max(lags, default=0.0) * 1000, 1)}


class CrawlProgress:
    def __init__(self, crawler: Crawler, interval: float, pace_interval: float = 0.0) -> None:
        self.crawler = crawler
        self.interval = interval
        self.pace_interval = pace_interval
        self._loop: task.LoopingCall | None = None
        self._pace_loop: task.LoopingCall | None = None
        self._lag = ReactorLag()
        self._lag_loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        settings = crawler.settings
        ext = cls(
            crawler, settings.getfloat("ONIONDEX_PROGRESS_INTERVAL"), settings.getfloat("ONIONDEX_PACE_INTERVAL", 0.0)
        )
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        if self.interval > 0:
            self._loop = task.LoopingCall(self.log_progress)
            self._loop.start(self.interval, now=False)
        if self.pace_interval > 0:
            self._pace_loop = task.LoopingCall(self.log_pace)
            self._pace_loop.start(self.pace_interval, now=False)
            self._lag_loop = task.LoopingCall(self._lag.tick)
            self._lag_loop.start(LAG_PROBE_EVERY)

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

    def log_pace(self) -> None:
        logger.info("pace: %s", json.dumps({**pace_state(self.crawler), **self._lag.take()}))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        for loop in (self._loop, self._pace_loop, self._lag_loop):
            if loop and loop.running:
                loop.stop()


def pace_state(crawler: Crawler) -> dict[str, float]:
    """Where the crawl's request slots are right now (Scrapy's engine, downloader, scraper and scheduler)."""
    engine = crawler.engine
    downloader, scraper = engine.downloader, engine.scraper.slot
    slot = engine._slot
    scheduler = slot.scheduler if slot is not None else None
    state: dict[str, float] = {
        "downloading": len(downloader.active),
        "transferring": sum(len(s.transferring) for s in downloader.slots.values()),
        "queued": len(scheduler) if scheduler is not None else 0,
        "scraping": len(scraper.queue) + len(scraper.active) if scraper else 0,
        "scraper_mb": round(scraper.active_size / 1e6, 2) if scraper else 0.0,
        "items": scraper.itemproc_size if scraper else 0,
        "backout_downloader": int(downloader.needs_backout()),
        "backout_scraper": int(bool(scraper and scraper.needs_backout())),
    }
    window = getattr(getattr(scheduler, "mqs", None), "pace_state", None)
    if window is not None:
        state.update(window())
    return state
