"""Index every page record, in batches: the last stage of the crawl.

No record is lost when the index is down: a batch the index cannot take (`IndexUnavailable`) goes to an
append-only spool file under the data dir, and the spool is replayed, oldest first, before the next batch
and at the end of the crawl (and at the start of the next crawl, or by `oniondex index replay`). Documents
the index rejects one by one (a mapping error, …) go to a dead-letter file with their id and reason.

Stats: oniondex/index/records (received), oniondex/index/pages (accepted), oniondex/index/spooled,
oniondex/index/replayed, oniondex/index/spool_pending (left at close), oniondex/index/unavailable (attempts
refused), oniondex/index/bulk_failed/<reason> (documents rejected; each written to the dead-letter file).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oniondex.config import layout_of
from oniondex.index import BulkResult, Index, IndexUnavailable, open_index
from oniondex.index.spool import Spool
from oniondex.records import PageRecord

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class IndexPipeline:
    def __init__(self, index_url: str, batch: int, stats: StatsCollector, spool: Path, dead_letter: Path) -> None:
        self.index_url = index_url
        self.batch = batch
        self.stats = stats
        self.spool = Spool(spool)
        self.dead_letter = dead_letter
        self.index: Index | None = None
        self.pending: list[dict[str, Any]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IndexPipeline:
        assert crawler.stats is not None
        settings = crawler.settings
        paths = layout_of(settings)
        batch = settings.getint("ONIONDEX_INDEX_BATCH")
        return cls(paths.index_url, batch, crawler.stats, paths.spool, paths.dead_letter)

    def open_spider(self, spider: Any = None) -> None:
        self.index = open_index(self.index_url)
        self._replay()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, PageRecord):
            self.pending.append(item.to_document())
            self.stats.inc_value("oniondex/index/records")
            if len(self.pending) >= self.batch:
                self.flush()
        return item

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        if self.spool and not self._replay():
            self._to_spool(batch)  # keep the order: nothing overtakes what is already spooled
            return
        try:
            self._send(batch)
        except IndexUnavailable as exc:
            logger.warning("index unavailable, spooling %d records to %s: %s", len(batch), self.spool.path, exc)
            self.stats.inc_value("oniondex/index/unavailable")
            self._to_spool(batch)

    def _send(self, batch: list[dict[str, Any]]) -> None:
        assert self.index is not None
        result = self.index.add_pages(batch)
        self.index.commit()
        self.stats.inc_value("oniondex/index/pages", result.indexed)
        self._dead_letters(result)

    def _replay(self) -> bool:
        """Replay the spool; False if the index is still unavailable."""
        if not self.spool:
            return True
        try:
            replayed = self.spool.replay(self._send)
        except IndexUnavailable:
            self.stats.inc_value("oniondex/index/unavailable")
            return False
        self.stats.inc_value("oniondex/index/replayed", replayed)
        logger.info("index back: replayed %d spooled records", replayed)
        return True

    def _to_spool(self, batch: list[dict[str, Any]]) -> None:
        self.spool.append(batch)
        self.stats.inc_value("oniondex/index/spooled", len(batch))

    def _dead_letters(self, result: BulkResult) -> None:
        if not result.failed:
            return
        self.dead_letter.parent.mkdir(parents=True, exist_ok=True)
        with self.dead_letter.open("a", encoding="utf-8") as out:
            for failed in result.failed:
                self.stats.inc_value(f"oniondex/index/bulk_failed/{failed.reason}")
                row = {"id": failed.id, "index": failed.index, "reason": failed.reason, "detail": failed.detail}
                out.write(json.dumps({**row, "document": failed.document}, ensure_ascii=False) + "\n")
        logger.warning("%d documents rejected by the index, written to %s", len(result.failed), self.dead_letter)

    def close_spider(self, spider: Any = None) -> None:
        self.flush()
        self._replay()
        if self.spool:
            left = self.spool.pending()
            self.stats.set_value("oniondex/index/spool_pending", left)
            logger.error(
                "index still unavailable: %d records wait in %s (oniondex index replay)", left, self.spool.path
            )
        if self.index is not None:
            self.index.close()
