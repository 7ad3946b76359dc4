"""Only onion hosts are ever requested: a clearnet link, an IP address or a malformed onion is dropped
before it reaches the downloader, so nothing can reveal the investigator outside Tor. The one exception:
t.me and telegram.me, for the Telegram spider's own requests (meta `telegram_channel`), still via Tor."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

from oniondex.onion import is_valid_onion
from oniondex.telegram.usernames import is_telegram_host

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class OnionOnlyMiddleware:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OnionOnlyMiddleware:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and is_valid_onion(parts.hostname or ""):
            return
        telegram = request.meta.get("telegram_channel") and is_telegram_host(parts.hostname or "")
        if parts.scheme in ("http", "https") and telegram and parts.port is None:
            return
        self.stats.inc_value("oniondex/blocked/clearnet")
        logger.warning("blocked a request outside the onion network: %s", request.url)
        raise IgnoreRequest(f"not a v3 onion URL: {request.url}")
