"""Fail closed: before the crawl starts, prove every configured proxy is Tor, or refuse to run.

Raises instead of disabling itself: Scrapy's NotConfigured would let the crawl go on without this check.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crawler.middlewares.tor_proxy import ProxyNotConfigured, parse_proxies
from oniondex.tor_probe import probe_tor_socks

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ProxyGuard:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProxyGuard:
        for proxy in parse_proxies(crawler.settings.get("ONIONDEX_PROXY", "")):
            parts = urlsplit(proxy)
            result = probe_tor_socks(parts.hostname or "", parts.port or 0)
            if not result.ok:
                raise ProxyNotConfigured(result.message)
            logger.info("proxy check passed: %s", result.message)
        return cls()
