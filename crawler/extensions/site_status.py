"""Per-site outcome of a crawl: the summary (ONIONDEX_DATA_DIR/last-crawl.json, printed by `oniondex
crawl`) and the liveness store (ONIONDEX_DATA_DIR/sites.db) that decides when each site is due again."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals

from crawler import signals as oniondex_signals
from oniondex.liveness import INVESTIGATOR_STATES, LivenessStore
from oniondex.records import PageRecord, SiteReport

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# When a site's fetches disagree, the best outcome names it: one page served means the site is up,
# unless its front page carries a seizure banner; a wall (login, queue, ban) outranks both: the site is up
# but its content waits for an investigator.
_RANK = {"banned": 13, "needs_login": 12, "walled": 11}
_RANK |= {"seized": 10, "up": 9, "moved": 7, "timeout": 4, "down": 3, "error": 2, "tor_error": 1, "unknown": 0}


class SiteStatus:
    def __init__(self, data_dir: Path, stats: StatsCollector) -> None:
        self.data_dir = data_dir
        self.stats = stats
        self.sites: dict[str, SiteReport] = {}
        self.entities = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteStatus:
        assert crawler.stats is not None
        ext = cls(Path(crawler.settings.get("ONIONDEX_DATA_DIR")), crawler.stats)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.site_result, signal=oniondex_signals.site_result)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        for seed in getattr(spider, "seeds", []):
            self.sites.setdefault(seed.site, SiteReport(seed.site))

    def site_result(self, site: str, state: str, detail: str) -> None:
        report = self.sites.setdefault(site, SiteReport(site))
        if state != "up":
            report.failures += 1
            report.timeouts += state == "timeout"
        if _RANK.get(state, 0) >= _RANK.get(report.state, 0):
            if state == "up" and report.state != "up":
                self.stats.inc_value("oniondex/sites/up")
            report.state = state
            report.last_error = detail

    def item_scraped(self, item: Any, spider: Spider) -> None:
        if isinstance(item, PageRecord):
            self.sites.setdefault(item.site, SiteReport(item.site, "up")).pages += 1
            self.entities += len(item.entities)

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
            "needs_investigator": {s: r.state for s, r in sorted(self.sites.items()) if r.state in INVESTIGATOR_STATES},
        }

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        summary = self.summary(reason)
        (self.data_dir / "last-crawl.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
        store = LivenessStore(self.data_dir / "sites.db")
        now = datetime.now(UTC)
        try:
            store.record_all(((r.site, r.state, r.last_error) for r in self.sites.values()), now)
        finally:
            store.close()
        logger.info("crawl finished (%s): %d pages, sites %s", reason, summary["pages"], summary["sites"])
