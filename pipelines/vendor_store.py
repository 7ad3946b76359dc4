"""Writes each page's vendor records, and the listings under each vendor, to the vendor store
(ONIONDEX_VENDOR_DB, default DATA_DIR/vendors.db) that `oniondex vendor` and the web UI read.

With ONIONDEX_OFF_REACTOR the writes run on one thread of their own, in the order pages arrive; the store
is committed per page and closed once every write is done.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from oniondex.config import layout_of
from oniondex.records import PageRecord
from oniondex.vendors.store import VendorStore
from pipelines.offload import Offload, OffloadedStorePipeline, offload_from_settings

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from oniondex.listings.records import ListingRecord
    from oniondex.vendors.records import VendorRecord


class VendorStorePipeline(OffloadedStorePipeline):
    offload_name = "vendor-store"

    def __init__(self, path: Path, offload: Offload | None = None) -> None:
        super().__init__(offload)
        self.path = path
        self.store: VendorStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> VendorStorePipeline:
        settings = crawler.settings
        if not settings.getbool("ONIONDEX_LISTINGS_ENABLED", True):
            raise NotConfigured("listing extraction is off: set ONIONDEX_LISTINGS_ENABLED=True to turn it on")
        db = layout_of(settings).vendor_db
        return cls(Path(db), offload_from_settings(settings, "vendor-store", threads=1))

    def open_store(self) -> None:
        self.store = VendorStore(self.path)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageRecord) or not (item.vendors or item.listings):
            return item
        return self.offloaded(item, self._write, item.vendors, item.listings)

    def _write(self, vendors: tuple[VendorRecord, ...], listings: tuple[ListingRecord, ...]) -> None:
        assert self.store is not None, "open_spider() opens the store"
        for vendor in vendors:
            self.store.add_vendor(vendor)
        for listing in listings:
            self.store.add_listing(listing)
        self.store.commit()

    def close_store(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
