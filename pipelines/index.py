"""Index every page record, in batches, committing at close: the last stage of the crawl."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from oniondex.index import Index, open_index
from oniondex.records import PageRecord

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class IndexPipeline:
    def __init__(self, index_url: str, batch: int, stats: StatsCollector) -> None:
        self.index_url = index_url
        self.batch = batch
        self.stats = stats
        self.index: Index | None = None
        self.pending: list[dict[str, Any]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IndexPipeline:
        assert crawler.stats is not None
        settings = crawler.settings
        return cls(settings.get("ONIONDEX_INDEX_URL"), settings.getint("ONIONDEX_INDEX_BATCH"), crawler.stats)

    def open_spider(self, spider: Any = None) -> None:
        self.index = open_index(self.index_url)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, PageRecord):
            self.pending.append(item.to_document())
            if len(self.pending) >= self.batch:
                self.flush()
        return item

    def flush(self) -> None:
        if self.index is None or not self.pending:
            return
        added = self.index.add_pages(self.pending)
        self.index.commit()
        self.stats.inc_value("oniondex/index/pages", added)
        self.pending = []

    def close_spider(self, spider: Any = None) -> None:
        self.flush()
        if self.index is not None:
            self.index.close()
