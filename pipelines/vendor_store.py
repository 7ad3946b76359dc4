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
from pipelines.offload import Offload, offload_from_settings, settled

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from scrapy.crawler import Crawler

    from oniondex.listings.records import ListingRecord
    from oniondex.vendors.records import VendorRecord


class VendorStorePipeline:
    def __init__(self, path: Path, offload: Offload | None = None) -> None:
        self.path = path
        self.offload = offload or Offload("vendor-store", threads=0, limit=1)
        self.store: VendorStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> VendorStorePipeline:
        settings = crawler.settings
        if not settings.getbool("ONIONDEX_LISTINGS_ENABLED", True):
            raise NotConfigured("listing extraction is off: set ONIONDEX_LISTINGS_ENABLED=True to turn it on")
        db = layout_of(settings).vendor_db
        return cls(Path(db), offload_from_settings(settings, "vendor-store", threads=1))

    def open_spider(self, spider: Any = None) -> None:
        self.store = VendorStore(self.path)
        self.offload.start()

    def close_spider(self, spider: Any = None) -> Coroutine[Any, Any, None] | None:
        if self.offload.inline:
            self._close()
            return None
        return settled(self.offload.drain().addBoth(lambda _: self.offload.submit(self._close)).addBoth(self._stop))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageRecord) or not (item.vendors or item.listings):
            return item
        if self.offload.inline:
            self._write(item.vendors, item.listings)
            return item
        return settled(self.offload.queued(self._write, item.vendors, item.listings).addCallback(lambda _: item))

    def _write(self, vendors: tuple[VendorRecord, ...], listings: tuple[ListingRecord, ...]) -> None:
        assert self.store is not None, "open_spider() opens the store"
        for vendor in vendors:
            self.store.add_vendor(vendor)
        for listing in listings:
            self.store.add_listing(listing)
        self.store.commit()

    def _close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def _stop(self, outcome: Any) -> Any:
        self.offload.stop()
        return outcome
