"""Progress while a crawl runs, and the summary when it ends: which sites answered, how many pages.

The summary is also written as JSON (ONIONDEX_DATA_DIR/last-crawl.json) for `make demo` and the tests.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from twisted.internet import task

from crawler import signals as oniondex_signals
from oniondex.records import PageRecord, SiteReport

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# When a site's fetches disagree, the best outcome names it: one page served means the site is up.
_STATE_RANK = {"up": 4, "timeout": 3, "down": 2, "error": 1, "unknown": 0}


class CrawlProgress:
    def __init__(self, crawler: Crawler, interval: float, data_dir: Path) -> None:
        self.crawler = crawler
        self.interval = interval
        self.data_dir = data_dir
        self.sites: dict[str, SiteReport] = {}
        self.entities = 0
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        ext = cls(
            crawler,
            crawler.settings.getfloat("ONIONDEX_PROGRESS_INTERVAL"),
            Path(crawler.settings.get("ONIONDEX_DATA_DIR")),
        )
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.site_result, signal=oniondex_signals.site_result)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        for seed in getattr(spider, "seeds", []):
            self.sites.setdefault(seed.site, SiteReport(seed.site))
        if self.interval > 0:
            self._loop = task.LoopingCall(self.log_progress)
            self._loop.start(self.interval, now=False)

    def site_result(self, site: str, state: str, detail: str) -> None:
        report = self.sites.setdefault(site, SiteReport(site))
        if _STATE_RANK.get(state, 0) >= _STATE_RANK.get(report.state, 0):
            report.state = state
            report.last_error = detail

    def item_scraped(self, item: Any, spider: Spider) -> None:
        if isinstance(item, PageRecord):
            self.sites.setdefault(item.site, SiteReport(item.site, "up")).pages += 1
            self.entities += len(item.entities)

    def log_progress(self) -> None:
        stats = self.crawler.stats
        queued = (stats.get_value("scheduler/enqueued", 0) - stats.get_value("scheduler/dequeued", 0)) if stats else 0
        up = sum(r.state == "up" for r in self.sites.values())
        pages = sum(r.pages for r in self.sites.values())
        logger.info(
            "progress: %d pages, %d/%d sites up, %d requests queued, %d entities",
            pages,
            up,
            len(self.sites),
            queued,
            self.entities,
        )

    def summary(self, reason: str) -> dict[str, Any]:
        states: dict[str, int] = {}
        for report in self.sites.values():
            states[report.state] = states.get(report.state, 0) + 1
        return {
            "finish_reason": reason,
            "pages": sum(r.pages for r in self.sites.values()),
            "entities": self.entities,
            "sites": states,
            "per_site": {site: asdict(r) for site, r in sorted(self.sites.items())},
        }

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._loop and self._loop.running:
            self._loop.stop()
        summary = self.summary(reason)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "last-crawl.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
        logger.info("crawl finished (%s): %d pages, sites %s", reason, summary["pages"], summary["sites"])
