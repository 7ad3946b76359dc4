"""Extraction for each fetched page: `oniondex.extraction.extract_page`, off the reactor thread.

Sets the record's `extraction` (page fields, language, tags, entities, listings, vendors) and the page's
content type, encoding and hash. With ONIONDEX_OFF_REACTOR the work runs on ONIONDEX_EXTRACT_THREADS
threads (at most ONIONDEX_OFF_REACTOR_QUEUE pages waiting), records of one URL in the order they came.
With ONIONDEX_EXTRACT_PROCESSES > 0 each of those threads hands its page to a process pool of that many
worker processes instead (extraction holds the GIL, so threads share one core with the reactor; processes
use the others). A worker process that dies is replaced and its page extracted on the thread itself.
The worker process also makes the page's cluster sketch (its MinHash, `record.sketch`) unless
ONIONDEX_CLUSTERS_ENABLED is off: hashing every shingle is CPU the crawl process would spend otherwise.

Stats: oniondex/entities/pages and oniondex/entities/<type> (entities per type), oniondex/language/<code>,
oniondex/tags/<tag>, oniondex/listings/pages, oniondex/listings/found,
oniondex/listings/extractor/<generic|profile:NAME>, oniondex/vendors/found.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from oniondex.clusters.model import PageSketch
from oniondex.clusters.shingles import page_sketch
from oniondex.collector import collector_paused, freeze_start_up
from oniondex.extraction import PageExtraction, extract_page
from oniondex.page import Page
from oniondex.records import PageRecord
from pipelines.offload import Offload, at_reactor_stop, offload_from_settings, settled

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)
# Worker processes are spawned, not forked: the crawl process runs threads and an event loop that a fork
# would copy mid-state.
_SPAWN = multiprocessing.get_context("spawn")


class ExtractionPipeline:
    def __init__(
        self,
        stats: StatsCollector | None = None,
        offload: Offload | None = None,
        with_listings: bool = True,
        processes: int = 0,
        sketches: bool = False,
    ) -> None:
        self.stats = stats
        self.offload = offload or Offload("extraction", threads=0, limit=1)
        self.with_listings = with_listings
        self.processes = 0 if self.offload.inline else processes
        self.sketches = sketches  # worker processes make each page's cluster sketch too
        self.pool: ProcessPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPipeline:
        settings = crawler.settings
        processes = max(0, settings.getint("ONIONDEX_EXTRACT_PROCESSES", 0))
        # A thread per worker process, each waiting on its page's result: the Offload keeps the queue bound
        # and the per-URL order.
        threads = processes or settings.getint("ONIONDEX_EXTRACT_THREADS", 2)
        offload = offload_from_settings(settings, "extraction", threads)
        return cls(
            crawler.stats,
            offload,
            settings.getbool("ONIONDEX_LISTINGS_ENABLED", True),
            processes,
            sketches=settings.getbool("ONIONDEX_CLUSTERS_ENABLED", True),
        )

    def open_spider(self, spider: Any = None) -> None:
        if self.processes:
            self.pool = self._start_pool()
            at_reactor_stop(self._stop)  # a forced stop extracts no more: what is queued is dropped at once
        self.offload.start()

    def _start_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            self.processes, mp_context=_SPAWN, initializer=_exit_with_parent, initargs=(os.getpid(),)
        )
        # Workers import extraction (and load its models) now, while the first pages are still on the way.
        for _ in range(self.processes):
            pool.submit(_warm_up)
        return pool

    def close_spider(self, spider: Any = None) -> Coroutine[Any, Any, None] | None:
        if self.offload.inline:
            return None
        return settled(self.offload.drain().addBoth(lambda _: self._stop()))

    def _stop(self) -> None:
        if self.pool is not None:  # first: the threads waiting on a page that is not begun stop waiting
            self.pool.shutdown(wait=False, cancel_futures=True)
        self.offload.stop()
        if self.pool is not None:
            self.pool.shutdown(wait=True)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageRecord) or item.page is None:
            return item
        if self.offload.inline:
            return self._fill(self._extract(item), item)
        return settled(self.offload.submit(self._extract, item, key=item.url).addCallback(self._fill, item))

    def _extract(self, item: PageRecord) -> tuple[PageExtraction, PageSketch | None]:
        assert item.page is not None
        pool = self.pool
        if pool is not None:
            # A fresh Page of the same fields: the spider's copy carries its parsed tree, which does not pickle.
            fresh = replace(item.page)
            # Pages only: the cluster store leaves Telegram posts (PageRecord subclasses) out.
            sketch = self.sketches and type(item) is PageRecord
            try:
                return pool.submit(
                    extract_in_worker, fresh, item.fetched_at or None, self.with_listings, sketch
                ).result()
            except BrokenProcessPool:
                logger.warning("an extraction process died on %s: extracted on its thread; new processes", item.url)
                self._replace_pool(pool)
        return extract_page(item.page, item.fetched_at or None, with_listings=self.with_listings), None

    def _replace_pool(self, broken: ProcessPoolExecutor) -> None:
        with self._pool_lock:
            if self.pool is broken:
                self.pool = self._start_pool()
        broken.shutdown(wait=False)

    def _fill(self, extracted: tuple[PageExtraction, PageSketch | None], item: PageRecord) -> PageRecord:
        assert item.page is not None
        found, item.sketch = extracted
        item.extraction = found
        item.content_type, item.encoding, item.sha256 = item.page.content_type, item.page.encoding, item.page.sha256
        self._count(found)
        return item

    def _count(self, found: PageExtraction) -> None:
        if self.stats is None:
            return
        inc = self.stats.inc_value
        inc("oniondex/entities/pages")
        for entity_type, count in Counter(entity.type for entity in found.entities).items():
            inc(f"oniondex/entities/{entity_type}", count)
        inc(f"oniondex/language/{found.language}")
        for tag in found.tags:
            inc(f"oniondex/tags/{tag}")
        if not self.with_listings:
            return
        inc("oniondex/listings/pages")
        for extractor, count in Counter(listing.extractor for listing in found.listings).items():
            inc("oniondex/listings/found", count)
            inc(f"oniondex/listings/extractor/{extractor}", count)
        if found.vendors:
            inc("oniondex/vendors/found", len(found.vendors))


def extract_in_worker(
    page: Page, fetched_at: str | None, with_listings: bool, sketch: bool
) -> tuple[PageExtraction, PageSketch | None]:
    """A worker process's job: the page's extraction and, with `sketch`, its cluster sketch (pages with
    text only: the cluster store skips the others)."""
    with collector_paused():
        found = extract_page(page, fetched_at, with_listings=with_listings)
        return found, page_sketch(found) if sketch and found.text else None


def _exit_with_parent(parent: int) -> None:
    """A worker's watch on the crawl process: a crawl killed with SIGKILL cannot shut its pool down, and the
    worker would wait on its queue for ever (its own copy of the queue keeps the pipe open)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _warm_up() -> None:
    extract_page(Page("http://warm.up/", b"<html><body><p>warm up</p></body></html>"))
    freeze_start_up()
