"""Extraction for each fetched page: `oniondex.extraction.extract_page`, on a thread pool of its own.

Sets the record's `extraction` (page fields, language, tags, entities, listings, vendors) and the page's
content type, encoding and hash. With ONIONDEX_OFF_REACTOR the work runs on ONIONDEX_EXTRACT_THREADS
threads (at most ONIONDEX_OFF_REACTOR_QUEUE pages waiting), records of one URL in the order they came.

Stats: oniondex/entities/pages and oniondex/entities/<type> (entities per type), oniondex/language/<code>,
oniondex/tags/<tag>, oniondex/listings/pages, oniondex/listings/found,
oniondex/listings/extractor/<generic|profile:NAME>, oniondex/vendors/found.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from oniondex.extraction import PageExtraction, extract_page
from oniondex.records import PageRecord
from pipelines.offload import Offload, offload_from_settings, settled

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class ExtractionPipeline:
    def __init__(
        self, stats: StatsCollector | None = None, offload: Offload | None = None, with_listings: bool = True
    ) -> None:
        self.stats = stats
        self.offload = offload or Offload("extraction", threads=0, limit=1)
        self.with_listings = with_listings

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPipeline:
        settings = crawler.settings
        offload = offload_from_settings(settings, "extraction", settings.getint("ONIONDEX_EXTRACT_THREADS", 2))
        return cls(crawler.stats, offload, settings.getbool("ONIONDEX_LISTINGS_ENABLED", True))

    def open_spider(self, spider: Any = None) -> None:
        self.offload.start()

    def close_spider(self, spider: Any = None) -> Coroutine[Any, Any, None] | None:
        if self.offload.inline:
            return None
        return settled(self.offload.drain().addBoth(lambda _: self.offload.stop()))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageRecord) or item.page is None:
            return item
        if self.offload.inline:
            return self._fill(self._extract(item), item)
        return settled(self.offload.submit(self._extract, item, key=item.url).addCallback(self._fill, item))

    def _extract(self, item: PageRecord) -> PageExtraction:
        assert item.page is not None
        return extract_page(item.page, item.fetched_at or None, with_listings=self.with_listings)

    def _fill(self, found: PageExtraction, item: PageRecord) -> PageRecord:
        assert item.page is not None
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
