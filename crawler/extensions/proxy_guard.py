"""Fail closed: before the crawl starts, prove the configured proxy is Tor, or refuse to run.

Raises instead of disabling itself: Scrapy's NotConfigured would let the crawl go on without this check.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crawler.middlewares.tor_proxy import ProxyNotConfigured, validate_proxy_url
from oniondex.tor_probe import probe_tor_socks

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ProxyGuard:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProxyGuard:
        proxy = crawler.settings.get("ONIONDEX_PROXY", "")
        if not proxy:
            raise ProxyNotConfigured(
                "no Tor proxy configured (ONIONDEX_PROXY, or PROXY= for make crawl): oniondex never crawls without Tor"
            )
        parts = urlsplit(validate_proxy_url(proxy))
        result = probe_tor_socks(parts.hostname or "", parts.port or 0)
        if not result.ok:
            raise ProxyNotConfigured(result.message)
        logger.info("proxy check passed: %s", result.message)
        return cls()
