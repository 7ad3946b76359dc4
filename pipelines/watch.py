"""Watchlists in the crawl: every capture is checked against the watches (oniondex.watch.Watcher) as it
arrives, gone pages (HTTP 404/410) as their answers arrive, dead sites and saved queries once the crawl is
over; the alerts are stored (ONIONDEX_WATCH_DB, default DATA_DIR/watch.db), audited, and delivered by
webhook and e-mail (ONIONDEX_ALERT_*). Checks and deliveries run on threads of their own (offload.py):
a slow webhook never holds up a download. Telegram posts are checked like pages.

Stats: oniondex/watch/checked, oniondex/watch/alerts, oniondex/watch/delivered/<channel>,
oniondex/watch/delivery_failed.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals

from crawler import signals as oniondex_signals
from crawler.middlewares.warc_capture import RECORD_META_KEY
from oniondex.config import DataLayout, layout_of
from oniondex.evidence.history import HISTORY_FILE, HistoryStore
from oniondex.index import open_index
from oniondex.records import PageRecord
from oniondex.watch.delivery import DeliveryConfig, DeliveryError, DeliveryReport, deliver, deliver_due
from oniondex.watch.records import GONE_STATUSES, Alert, Capture
from oniondex.watch.store import WatchStore
from oniondex.watch.watcher import Watcher, site_outcome
from pipelines.offload import Offload, OffloadedStorePipeline, offload_from_settings, settled
from web.audit import AuditLog

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)
MAX_PENDING_RECORD_IDS = 10_000  # WARC record ids of responses whose item has not arrived yet


class WatchPipeline(OffloadedStorePipeline):
    offload_name = "watch"

    def __init__(
        self,
        paths: DataLayout,
        delivery: DeliveryConfig | None,
        stats: StatsCollector | None = None,
        offload: Offload | None = None,
        sender: Offload | None = None,
        enabled: bool = True,
    ) -> None:
        super().__init__(offload)
        self.enabled = enabled
        self.paths = paths
        self.delivery = delivery
        self.stats = stats
        self.sender = sender or Offload("watch-delivery", threads=0, limit=1)  # a slow webhook holds up no check
        self.delivery_queued = False
        self.audit = AuditLog(paths.audit_log)
        self.store: WatchStore | None = None
        self.watcher: Watcher | None = None
        self.started = ""
        self.record_ids: dict[str, str] = {}
        self.site_states: dict[str, set[str]] = defaultdict(set)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WatchPipeline:
        settings = crawler.settings
        if not settings.getbool("ONIONDEX_WATCH_ENABLED", True):
            # Off (as in reindex, whose replayed captures are no news): every item passes through. Not
            # NotConfigured: reindex builds the pipelines itself and would stop on it.
            return cls(layout_of(settings), None, crawler.stats, enabled=False)
        try:
            # The environment too: a webhook secret or an SMTP password is better kept off the command line.
            delivery: DeliveryConfig | None = DeliveryConfig.from_settings(
                lambda n: settings.get(n) or os.environ.get(n)
            )
        except DeliveryError as exc:
            logger.error("alerts will be stored but not delivered: %s", exc)
            delivery = None
        pipeline = cls(
            layout_of(settings),
            delivery,
            crawler.stats,
            offload_from_settings(settings, "watch", threads=1),
            offload_from_settings(settings, "watch-delivery", threads=1),
        )
        crawler.signals.connect(pipeline.response_received, signal=signals.response_received)
        crawler.signals.connect(pipeline.site_result, signal=oniondex_signals.site_result)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    @property
    def channels(self) -> tuple[str, ...]:
        return self.delivery.channels if self.delivery else ()

    def open_spider(self, spider: Any = None) -> None:
        if not self.enabled:
            return
        super().open_spider(spider)
        self.sender.start()
        self._schedule_delivery()  # what earlier runs could not deliver

    def open_store(self) -> None:
        self.started = datetime.now(UTC).isoformat(timespec="seconds")
        self.store = WatchStore(self.paths.watch_db)
        self.watcher = Watcher(self.store, self.channels, notify=self._audit)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageRecord) or self.watcher is None or self.watcher.empty:
            return item
        if getattr(item, "deleted", False):  # a Telegram post gone from its channel: nothing to match
            return item
        capture = Capture(
            url=item.url, site=item.site, fetched_at=item.fetched_at, status=item.status,
            sha256=getattr(item, "content_sha256", "") or item.sha256, depth=item.depth,
            record_id=self.record_ids.pop(item.url, ""), extraction=item.extraction,
        )  # fmt: skip
        return self.offloaded(item, self._check, capture)

    def response_received(self, response: Response, request: Request, spider: Any = None) -> None:
        if self.watcher is None or self.watcher.empty:
            return
        record_id = str(request.meta.get(RECORD_META_KEY, ""))
        if response.status in GONE_STATUSES:
            site = (request.cb_kwargs or {}).get("site", "")
            gone = Capture(
                response.url,
                site,
                datetime.now(UTC).isoformat(timespec="seconds"),
                response.status,
                record_id=record_id,
            )
            if self.offload.inline:
                self._check(gone)
            else:
                self.offload.queued(self._check, gone)
        elif record_id:
            if len(self.record_ids) >= MAX_PENDING_RECORD_IDS:
                self.record_ids.pop(next(iter(self.record_ids)))  # a response that made no item (not text)
            self.record_ids[response.url] = record_id

    def site_result(self, site: str, state: str, detail: str = "") -> None:
        self.site_states[site].add(state)

    def _check(self, capture: Capture) -> None:
        assert self.watcher is not None
        alerts = self.watcher.check(capture)
        self._count("oniondex/watch/checked")
        if alerts:
            self._count("oniondex/watch/alerts", len(alerts))
            self._schedule_delivery()

    def _schedule_delivery(self) -> None:
        """One delivery pass on the sender's thread (one at a time: a pass takes every alert that is due)."""
        if self.sender.inline:
            self._delivery_pass()
        elif not self.delivery_queued:
            self.delivery_queued = True
            self.sender.queued(self._delivery_pass)

    def _delivery_pass(self) -> None:
        self.delivery_queued = False
        if self.delivery is not None and self.store is not None and self.channels:
            self._report(deliver_due(self.store, self.delivery))

    def close_spider(self, spider: Any = None) -> Coroutine[Any, Any, None] | None:
        """Only waits for the checks and deliveries: the store closes at spider_closed (close_store)."""
        if self.offload.inline:
            return None
        return settled(self.offload.drain().addBoth(lambda _: self.sender.drain()))

    def spider_closed(self, spider: Any = None, reason: str = "") -> Coroutine[Any, Any, None] | None:
        """After every pipeline has closed (so the index holds the crawl's pages): dead sites, saved
        queries, the last deliveries."""
        if self.offload.inline:
            self.close_store()
            return None
        return settled(self.offload.submit(self.close_store).addBoth(self._stop))

    def close_store(self) -> None:
        if self.watcher is None or self.store is None:
            return
        outcomes = {site: site_outcome(states) for site, states in self.site_states.items()}
        alerts = self.watcher.finish(outcomes, datetime.now(UTC).isoformat(timespec="seconds"))
        if self.watcher.queries:
            alerts += self._check_queries()
        self._count("oniondex/watch/alerts", len(alerts))
        if self.delivery is not None and self.channels:
            self._report(deliver(self.store, self.delivery))  # with retries: the crawl is over
        self.store.close()
        self.store = self.watcher = None

    def exit_store(self) -> None:
        """A forced stop ended no crawl: no end-of-crawl alerts (dead sites, queries), the store just closes."""
        if self.store is not None:
            self.store.close()
            self.store = self.watcher = None

    def _check_queries(self) -> list[Alert]:
        assert self.watcher is not None
        history_path = self.paths.warc_dir / HISTORY_FILE
        history = HistoryStore(history_path) if history_path.exists() else None
        index = open_index(self.paths.index_url)
        try:
            return self.watcher.check_queries(index, self.started, lambda url: _capture_of(history, url))
        finally:
            index.close()
            if history is not None:
                history.close()

    def _report(self, report: DeliveryReport) -> None:
        for channel, sent in report.sent.items():
            self._count(f"oniondex/watch/delivered/{channel}", sent)
        for error in report.errors:
            self._count("oniondex/watch/delivery_failed")
            logger.warning("alert delivery failed (kept for a later try): %s", error)

    def _audit(self, alert: Alert) -> None:
        self.audit.write(
            alert.analyst, "alert", alert_id=alert.id, kind=alert.kind, watch=alert.watch_id,
            value=alert.value, url=alert.url, site=alert.site, capture=alert.capture, via="crawl",
        )  # fmt: skip

    def _count(self, key: str, value: int = 1) -> None:
        if self.stats is None or not value:
            return
        if self.offload.inline:
            self.stats.inc_value(key, value)
        else:
            from twisted.internet import reactor

            reactor.callFromThread(self.stats.inc_value, key, value)

    def _stop(self, outcome: Any) -> Any:
        outcome = super()._stop(outcome)
        self.sender.stop()
        return outcome


def _capture_of(history: HistoryStore | None, url: str) -> str:
    versions = history.versions(url) if history is not None else []
    return versions[-1].record_id if versions else ""
