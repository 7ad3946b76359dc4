"""Index every page record, in batches: the last stage of the crawl.

No record is lost when the index is down: a batch the index cannot take (`IndexUnavailable`) goes to an
append-only spool file under the data dir, and the spool is replayed, oldest first, before the next batch
and at the end of the crawl (and at the start of the next crawl, or by `oniondex index replay`). Documents
the index rejects one by one (a mapping error, …) go to a dead-letter file with their id and reason.

With ONIONDEX_OFF_REACTOR every write (serializing, batching, committing, spooling) runs on one writer thread
of its own, fed in arrival order through a bounded queue (ONIONDEX_OFF_REACTOR_QUEUE records), so a slow or
hung index holds up no download; `close_spider` waits until every record is written or spooled.

Stats: oniondex/index/records (received), oniondex/index/pages (accepted), oniondex/index/spooled,
oniondex/index/replayed, oniondex/index/spool_pending (left at close), oniondex/index/unavailable (attempts
refused), oniondex/index/bulk_failed/<reason> (documents rejected; each written to the dead-letter file).
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oniondex.config import layout_of
from oniondex.index import BulkResult, Index, IndexUnavailable, open_index
from oniondex.index.documents import record_document
from oniondex.index.spool import Spool
from oniondex.records import PageRecord
from pipelines.offload import Offload, offload_from_settings, settled

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# One index per URL in a process, shared by its pipelines: the onion and the Telegram spider crawl in one
# process (oniondex/cli/crawl.py), and an embedded index takes a single writer, so a second one failed on
# tantivy's lock and its pages were never indexed. Writes take turns (the per-URL lock: index, spool and
# dead letters); the last pipeline to close closes the index.
_SHARED: dict[str, tuple[Index, threading.RLock, int]] = {}
_SHARED_GUARD = threading.Lock()


def _share(url: str) -> tuple[Index, threading.RLock]:
    with _SHARED_GUARD:
        index, turn, users = _SHARED.get(url) or (open_index(url), threading.RLock(), 0)
        _SHARED[url] = (index, turn, users + 1)
        return index, turn


def _unshare(url: str) -> None:
    with _SHARED_GUARD:
        index, turn, users = _SHARED[url]
        if users > 1:
            _SHARED[url] = (index, turn, users - 1)
            return
        del _SHARED[url]
    with turn:
        index.close()


class IndexPipeline:
    def __init__(
        self,
        index_url: str,
        batch: int,
        stats: StatsCollector,
        spool: Path,
        dead_letter: Path,
        writer: Offload | None = None,
    ) -> None:
        self.index_url = index_url
        self.batch = batch
        self.stats = stats
        self.spool = Spool(spool)
        self.dead_letter = dead_letter
        self.index: Index | None = None
        self._turn = threading.RLock()  # the shared index's, once open
        self.pending: list[dict[str, Any]] = []
        self.writer = writer or Offload("index-writer", threads=0, limit=1)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IndexPipeline:
        assert crawler.stats is not None
        settings = crawler.settings
        paths = layout_of(settings)
        return cls(
            paths.index_url,
            settings.getint("ONIONDEX_INDEX_BATCH"),
            crawler.stats,
            paths.spool,
            paths.dead_letter,
            offload_from_settings(settings, "index-writer", threads=1),
        )

    def open_spider(self, spider: Any = None) -> Coroutine[Any, Any, None] | None:
        if self.writer.inline:
            self._open()
            return None
        self.writer.start(at_exit=self._close)  # a forced stop flushes the last batch too
        return settled(self.writer.submit(self._open))

    def _open(self) -> None:
        self.index, self._turn = _share(self.index_url)
        with self._turn:
            self._replay()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageRecord):
            return item
        self.stats.inc_value("oniondex/index/records")
        if self.writer.inline:
            self._add(item)
            return item
        return settled(self.writer.queued(self._add, item).addCallback(lambda _: item))

    def _add(self, item: PageRecord) -> None:
        self.pending.append(record_document(item))
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if batch:
            with self._turn:
                self._write(batch)

    def _write(self, batch: list[dict[str, Any]]) -> None:
        if self.spool and not self._replay():
            self._to_spool(batch)  # keep the order: nothing overtakes what is already spooled
            return
        try:
            self._send(batch)
        except IndexUnavailable as exc:
            logger.warning("index unavailable, spooling %d records to %s: %s", len(batch), self.spool.path, exc)
            self._inc("oniondex/index/unavailable")
            self._to_spool(batch)

    def _send(self, batch: list[dict[str, Any]]) -> None:
        assert self.index is not None
        result = self.index.add_pages(batch)
        self.index.commit()
        self._inc("oniondex/index/pages", result.indexed)
        self._dead_letters(result)

    def _replay(self) -> bool:
        """Replay the spool; False if the index is still unavailable."""
        if not self.spool:
            return True
        try:
            replayed = self.spool.replay(self._send)
        except IndexUnavailable:
            self._inc("oniondex/index/unavailable")
            return False
        self._inc("oniondex/index/replayed", replayed)
        logger.info("index back: replayed %d spooled records", replayed)
        return True

    def _to_spool(self, batch: list[dict[str, Any]]) -> None:
        self.spool.append(batch)
        self._inc("oniondex/index/spooled", len(batch))

    def _dead_letters(self, result: BulkResult) -> None:
        if not result.failed:
            return
        self.dead_letter.parent.mkdir(parents=True, exist_ok=True)
        with self.dead_letter.open("a", encoding="utf-8") as out:
            for failed in result.failed:
                self._inc(f"oniondex/index/bulk_failed/{failed.reason}")
                row = {"id": failed.id, "index": failed.index, "reason": failed.reason, "detail": failed.detail}
                out.write(json.dumps({**row, "document": failed.document}, ensure_ascii=False) + "\n")
        logger.warning("%d documents rejected by the index, written to %s", len(result.failed), self.dead_letter)

    def _inc(self, key: str, count: int = 1) -> None:
        self._stat(self.stats.inc_value, key, count)

    def _stat(self, method: Any, key: str, value: int) -> None:
        """Stats change on the reactor thread (the collector is not thread-safe), also from the writer's."""
        if self.writer.inline:
            method(key, value)
        else:
            from twisted.internet import reactor

            reactor.callFromThread(method, key, value)

    def close_spider(self, spider: Any = None) -> Coroutine[Any, Any, None] | None:
        if self.writer.inline:
            self._close()
            return None
        return settled(self.writer.drain().addBoth(lambda _: self.writer.submit(self._close)).addBoth(self._stop))

    def _stop(self, outcome: Any) -> Any:
        self.writer.stop()
        return outcome

    def _close(self) -> None:
        with self._turn:
            self.flush()
            self._replay()
            if self.spool:
                left = self.spool.pending()
                self._stat(self.stats.set_value, "oniondex/index/spool_pending", left)
                logger.error(
                    "index still unavailable: %d records wait in %s (oniondex index replay)", left, self.spool.path
                )
        if self.index is not None:
            self.index = None
            _unshare(self.index_url)
