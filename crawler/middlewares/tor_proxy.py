"""Every request goes out through a Tor SOCKS proxy, with remote DNS, and (for circuit isolation) a
SOCKS username of its own site. With several Tor clients, each site is pinned to one of them by a hash
of its name. There is no code path without a proxy: with none set, the crawl does not start."""

from __future__ import annotations

import hashlib
import re
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
            f"proxy {proxy!r}: use socks5h://HOST:PORT (SOCKS5 with DNS resolved by Tor), "
            "e.g. socks5h://127.0.0.1:9050; no proxy means no crawl"
        )
    if not parts.hostname or not parts.port:
        raise ProxyNotConfigured(f"proxy {proxy!r}: give both host and port")
    return urlunsplit((parts.scheme, f"{parts.hostname}:{parts.port}", "", "", ""))


def parse_proxies(setting: str | list[str]) -> list[str]:
    """ONIONDEX_PROXY: one socks5h:// URL, or several separated by commas or spaces (several Tor clients)."""
    items = setting if isinstance(setting, list) else re.split(r"[,\s]+", setting.strip())
    proxies = [validate_proxy_url(item) for item in items if item]
    if not proxies:
        raise ProxyNotConfigured(
            "no Tor proxy configured (ONIONDEX_PROXY, or PROXY= for make crawl): oniondex never crawls without Tor"
        )
    return proxies


def _digest(site: str) -> bytes:
    return hashlib.sha256(site.encode()).digest()


def circuit_username(site: str) -> str:
    """A SOCKS username that is the same for every request to one site and differs between sites."""
    return "odx-" + _digest(site).hex()[:20]


def proxy_for(site: str, proxies: list[str]) -> str:
    """The Tor client a site is pinned to: stable across crawls, spread evenly by hash."""
    return proxies[int.from_bytes(_digest(site)[-4:], "big") % len(proxies)]


class TorProxyMiddleware:
    def __init__(self, proxies: list[str], isolate: bool) -> None:
        self.proxies = proxies
        self.isolate = isolate

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TorProxyMiddleware:
        settings = crawler.settings
        return cls(parse_proxies(settings.get("ONIONDEX_PROXY", "")), settings.getbool("ONIONDEX_CIRCUIT_ISOLATION"))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        # A Telegram request names its channel's circuit (every channel shares the host t.me).
        site = request.meta.get("oniondex_circuit") or urlsplit(request.url).hostname or ""
        proxy = proxy_for(site, self.proxies)
        if self.isolate:
            scheme, rest = proxy.split("://", 1)
            proxy = f"{scheme}://{circuit_username(site)}:x@{rest}"
        request.meta["proxy"] = proxy
