"""Feeds each page's extraction to the cluster store (ONIONDEX_CLUSTER_DB, default DATA_DIR/clusters.db):
its MinHash sketch, its near-duplicates on other sites and its vendor identifiers, as pages arrive.

Every page of one crawl is stored as seen at the crawl's start (its job's start time, ONIONDEX_WARC_JOB_ID,
which a resumed crawl keeps; else when the pipeline opened), not at its fetch time: which of two sites is
the original may fall to "seen first" (oniondex/clusters/clones.py), and within one crawl the order pages
happen to arrive in is no evidence of that, while a site an earlier crawl saw is.

The sketch is the one the extraction worker process made (`record.sketch`), when it made one. With
ONIONDEX_OFF_REACTOR the writes run on one thread of their own, in arrival order; the store is
committed every 50 pages and at close. Telegram posts are left out (a channel has
no mirrors in this sense). ONIONDEX_CLUSTERS_ENABLED=False turns the pipeline off.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from oniondex.clusters.store import ClusterStore
from oniondex.config import layout_of
from oniondex.records import PageRecord
from pipelines.offload import Offload, OffloadedStorePipeline, offload_from_settings

if TYPE_CHECKING:
    from pathlib import Path

    from scrapy.crawler import Crawler

COMMIT_EVERY = 50  # pages between commits: a crash loses at most these (a recrawl adds them back)


class ClusterPipeline(OffloadedStorePipeline):
    offload_name = "clusters"

    def __init__(self, path: Path, offload: Offload | None = None, crawl_started: str = "") -> None:
        super().__init__(offload)
        self.path = path
        self.crawl_started = crawl_started
        self.store: ClusterStore | None = None
        self.pending = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterPipeline:
        settings = crawler.settings
        if not settings.getbool("ONIONDEX_CLUSTERS_ENABLED", True):
            raise NotConfigured("clusters are off: set ONIONDEX_CLUSTERS_ENABLED=True to turn them on")
        return cls(
            layout_of(settings).cluster_db,
            offload_from_settings(settings, "clusters", threads=1),
            job_started(settings.get("ONIONDEX_WARC_JOB_ID", "")),
        )

    def open_store(self) -> None:
        self.crawl_started = self.crawl_started or datetime.now(UTC).isoformat(timespec="seconds")
        self.store = ClusterStore(self.path)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if type(item) is not PageRecord or not item.extraction.text:  # pages only: subclasses are posts
            return item
        return self.offloaded(item, self._write, item)

    def _write(self, item: PageRecord) -> None:
        assert self.store is not None, "open_spider() opens the store"
        self.store.add_page(item.url, item.site, self.crawl_started, item.extraction, item.sketch)
        self.pending += 1
        if self.pending >= COMMIT_EVERY:
            self.store.commit()
            self.pending = 0

    def close_store(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


def job_started(job_id: str) -> str:
    """The start time in a crawl job id (`<UTC start>-<hex>`, oniondex.evidence.archive.new_job_id) as ISO
    8601; empty when the id has none."""
    try:
        started = datetime.strptime(job_id[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return ""
    return started.isoformat(timespec="seconds")
