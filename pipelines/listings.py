"""Listings and vendors for each fetched page (see oniondex.listings, oniondex.vendors).

Sets `listings` and `vendors` on every `PageRecord` carrying its page, and writes vendor views and the
listing URLs under each vendor to the vendor store (ONIONDEX_VENDOR_DB) for `oniondex vendor`.
Runs after the entity pipeline when that one is enabled (its entities are reused, even when a page has
none), else extracts them itself.

Stats: oniondex/listings/pages (pages processed), oniondex/listings/found (listings),
oniondex/listings/extractor/<generic|profile:NAME> (listings per extractor), oniondex/vendors/found
(vendor records).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from oniondex.config import layout_of
from oniondex.entities import extract_entities
from oniondex.listings import extract_listings
from oniondex.records import PageRecord
from oniondex.vendors import extract_vendors
from oniondex.vendors.store import VendorStore

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

STATS_PREFIX = "oniondex"
ENTITY_PIPELINE = "pipelines.entities.EntityPipeline"


class ListingPipeline:
    def __init__(
        self, store_path: Path | None, stats: StatsCollector | None = None, own_entities: bool = True
    ) -> None:
        self.store_path, self.stats = store_path, stats
        self.own_entities = own_entities  # no entity pipeline before this one
        self.store: VendorStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ListingPipeline:
        settings = crawler.settings
        if not settings.getbool("ONIONDEX_LISTINGS_ENABLED", True):
            raise NotConfigured("listing extraction is off: set ONIONDEX_LISTINGS_ENABLED=True to turn it on")
        db = layout_of(settings).vendor_db
        entity_pipeline_on = settings.getdict("ITEM_PIPELINES").get(ENTITY_PIPELINE) is not None
        return cls(Path(db), crawler.stats, own_entities=not entity_pipeline_on)

    def open_spider(self, spider: Any = None) -> None:
        if self.store_path is not None:
            self.store = VendorStore(self.store_path)

    def close_spider(self, spider: Any = None) -> None:
        if self.store is not None:
            self.store.close()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageRecord) or item.page is None:
            return item
        seen = item.fetched_at or None
        item.listings = extract_listings(item.page, seen)
        entities = extract_entities(item.page, seen) if self.own_entities else item.entities
        item.vendors = extract_vendors(item.page, entities, item.listings, seen)
        self._store(item)
        self._count(item)
        return item

    def _store(self, item: PageRecord) -> None:
        if self.store is None:
            return
        for vendor in item.vendors:
            self.store.add_vendor(vendor)
        for listing in item.listings:
            self.store.add_listing(listing)
        self.store.commit()

    def _count(self, item: PageRecord) -> None:
        if self.stats is None:
            return
        self.stats.inc_value(f"{STATS_PREFIX}/listings/pages")
        for extractor, count in Counter(x["extractor"] for x in item.listings).items():
            self.stats.inc_value(f"{STATS_PREFIX}/listings/found", count)
            self.stats.inc_value(f"{STATS_PREFIX}/listings/extractor/{extractor}", count)
        if item.vendors:
            self.stats.inc_value(f"{STATS_PREFIX}/vendors/found", len(item.vendors))
