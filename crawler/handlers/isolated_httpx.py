"""Scrapy's httpx download handler, with a bounded pool of per-site SOCKS clients.

httpx takes its proxy per client, not per request, so Scrapy keeps one client per proxy URL, and never
drops one (scrapy/core/downloader/handlers/_httpx.py). With a SOCKS username per site (one Tor circuit
per site) that is one client per site ever seen: 10,000 sites, 10,000 connection pools. Here the least
recently used clients are closed beyond ONIONDEX_MAX_PROXY_CLIENTS; a site that comes back gets a fresh
client with the same username, so it still never shares a circuit with another site.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers._httpx import HttpxDownloadHandler

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class IsolatedHttpxDownloadHandler(HttpxDownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._max_clients = crawler.settings.getint("ONIONDEX_MAX_PROXY_CLIENTS")
        self._proxy_clients: OrderedDict[str, Any] = OrderedDict()
        self._closing: set[asyncio.Task[None]] = set()

    def _get_client(self, proxy_url: str | None) -> Any:
        if proxy_url is not None and proxy_url in self._proxy_clients:
            self._proxy_clients.move_to_end(proxy_url)
        client = super()._get_client(proxy_url)
        while len(self._proxy_clients) > self._max_clients:
            _, oldest = self._proxy_clients.popitem(last=False)
            # Requests still in flight on it finish on their open connection; aclose waits for nothing.
            task = asyncio.ensure_future(oldest.aclose())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)
        return client

    @property
    def open_clients(self) -> int:
        return len(self._proxy_clients)
