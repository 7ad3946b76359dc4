"""Telegram channels in the vendor store: each post's handles and wallets (oniondex.telegram.vendors)
are recorded as its channel's vendor view, so `oniondex vendor` and the correlation link a channel to an
onion vendor showing the same handle or wallet. Runs after the listing pipeline (which finds no vendor
in a post's prose) and commits each view: an onion crawl may be writing the same store at the same time.
Stats: oniondex/telegram/vendor_views."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oniondex.config import layout_of
from oniondex.telegram.records import PostRecord
from oniondex.telegram.vendors import channel_vendor
from oniondex.vendors.store import VendorStore

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class TelegramVendorPipeline:
    def __init__(self, store_path: Path, stats: StatsCollector | None = None) -> None:
        self.store_path, self.stats = store_path, stats
        self.store: VendorStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TelegramVendorPipeline:
        settings = crawler.settings
        return cls(layout_of(settings).vendor_db, crawler.stats)

    def open_spider(self, spider: Any = None) -> None:
        self.store = VendorStore(self.store_path)

    def close_spider(self, spider: Any = None) -> None:
        if self.store is not None:
            self.store.close()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PostRecord) or item.deleted or self.store is None:
            return item
        vendor = channel_vendor(item)
        if vendor is not None:
            item.extraction = replace(item.extraction, vendors=(*item.extraction.vendors, vendor))
            self.store.add_vendor(vendor)
            self.store.commit()
            if self.stats is not None:
                self.stats.inc_value("oniondex/telegram/vendor_views")
        return item
