"""Feeds each page's extraction to the cluster store (ONIONDEX_CLUSTER_DB, default DATA_DIR/clusters.db):
its MinHash sketch, its near-duplicates on other sites and its vendor identifiers, as pages arrive.

With ONIONDEX_OFF_REACTOR the writes run on one thread of their own, in arrival order; the store is
committed every 50 pages and at close. Telegram posts are left out (a channel has
no mirrors in this sense). ONIONDEX_CLUSTERS_ENABLED=False turns the pipeline off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from oniondex.clusters.store import ClusterStore
from oniondex.config import layout_of
from oniondex.records import PageRecord
from pipelines.offload import Offload, offload_from_settings, settled

if TYPE_CHECKING:
    from collections.abc import Coroutine
    from pathlib import Path

    from scrapy.crawler import Crawler

COMMIT_EVERY = 50  # pages between commits: a crash loses at most these (a recrawl adds them back)


class ClusterPipeline:
    def __init__(self, path: Path, offload: Offload | None = None) -> None:
        self.path = path
        self.offload = offload or Offload("clusters", threads=0, limit=1)
        self.store: ClusterStore | None = None
        self.pending = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterPipeline:
        settings = crawler.settings
        if not settings.getbool("ONIONDEX_CLUSTERS_ENABLED", True):
            raise NotConfigured("clusters are off: set ONIONDEX_CLUSTERS_ENABLED=True to turn them on")
        return cls(layout_of(settings).cluster_db, offload_from_settings(settings, "clusters", threads=1))

    def open_spider(self, spider: Any = None) -> None:
        self.store = ClusterStore(self.path)
        self.offload.start()

    def close_spider(self, spider: Any = None) -> Coroutine[Any, Any, None] | None:
        if self.offload.inline:
            self._close()
            return None
        return settled(self.offload.drain().addBoth(lambda _: self.offload.submit(self._close)).addBoth(self._stop))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if type(item) is not PageRecord or not item.extraction.text:  # pages only: subclasses are posts
            return item
        if self.offload.inline:
            self._write(item)
            return item
        return settled(self.offload.queued(self._write, item).addCallback(lambda _: item))

    def _write(self, item: PageRecord) -> None:
        assert self.store is not None, "open_spider() opens the store"
        self.store.add_page(item.url, item.site, item.fetched_at, item.extraction)
        self.pending += 1
        if self.pending >= COMMIT_EVERY:
            self.store.commit()
            self.pending = 0

    def _close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def _stop(self, outcome: Any) -> Any:
        self.offload.stop()
        return outcome
