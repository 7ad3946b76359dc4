"""Every request goes out through the Tor SOCKS proxy, with remote DNS, and (for circuit isolation) a
SOCKS username of its own site. There is no code path without the proxy: with none set, the crawl does
not start."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler


class ProxyNotConfigured(RuntimeError):
    """No usable Tor proxy: a crawl must not start. Deliberately not Scrapy's NotConfigured, which would
    quietly disable this middleware and let requests go out directly."""


def validate_proxy_url(proxy: str) -> str:
    """The proxy URL, if it is SOCKS5 with remote DNS on an explicit host and port; raises otherwise."""
    parts = urlsplit(proxy)
    if parts.scheme != "socks5h":
        raise ProxyNotConfigured(
            f"ONIONDEX_PROXY={proxy!r}: use socks5h://HOST:PORT (SOCKS5 with DNS resolved by Tor), "
            "e.g. socks5h://127.0.0.1:9050; no proxy means no crawl"
        )
    if not parts.hostname or not parts.port:
        raise ProxyNotConfigured(f"ONIONDEX_PROXY={proxy!r}: give both host and port")
    return urlunsplit((parts.scheme, f"{parts.hostname}:{parts.port}", "", "", ""))


def circuit_username(site: str) -> str:
    """A SOCKS username that is the same for every request to one site and differs between sites."""
    return "odx-" + hashlib.sha256(site.encode()).hexdigest()[:20]


class TorProxyMiddleware:
    def __init__(self, proxy: str, isolate: bool) -> None:
        self.proxy = validate_proxy_url(proxy)
        self.isolate = isolate

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TorProxyMiddleware:
        return cls(crawler.settings.get("ONIONDEX_PROXY", ""), crawler.settings.getbool("ONIONDEX_CIRCUIT_ISOLATION"))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if not self.isolate:
            request.meta["proxy"] = self.proxy
            return
        site = urlsplit(request.url).hostname or ""
        scheme, rest = self.proxy.split("://", 1)
        request.meta["proxy"] = f"{scheme}://{circuit_username(site)}:x@{rest}"
