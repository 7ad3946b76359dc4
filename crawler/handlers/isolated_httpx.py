"""Scrapy's httpx download handler, with a bounded pool of per-site SOCKS clients that keeps active sites.

httpx takes its proxy per client, not per request, so Scrapy keeps one client per proxy URL, and never
drops one (scrapy/core/downloader/handlers/_httpx.py). With a SOCKS username per site (one Tor circuit
per site) that is one client per site ever seen: 10,000 sites, 10,000 connection pools. Here the least
recently used idle clients are closed beyond ONIONDEX_MAX_PROXY_CLIENTS; a client with a request in
flight is never closed, so a site in the scheduler's window keeps its kept-alive connection (and so its
circuit). A site that comes back later gets a fresh client with the same username: still its own circuit.
Idle connections are kept ONIONDEX_KEEPALIVE_EXPIRY seconds (see crawler/settings.py for why not longer).

Each download slot (a site, or a Telegram channel's download_slot) has at most CONCURRENT_REQUESTS_PER_DOMAIN
requests on the network at once, enforced here: Scrapy 2.19's downloader does not, with the asyncio reactor
(Downloader._process_queue starts each queued request as a task, and a task only marks its request
transferring once it runs, so one pass of the loop sends the slot's whole queue). A site then opened a new
stream, and Tor a new stream on its circuit, for every request beyond its kept-alive connections: ~9-14
streams for a 20-page site where 4 serve it. The wait for a turn comes before the download timeout starts,
as the downloader's own slot queue would.
"""

from __future__ import annotations

import asyncio
from collections import Counter, OrderedDict
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import httpx
from scrapy.core.downloader.handlers._httpx import HttpxDownloadHandler
from scrapy.exceptions import DownloadTimeoutError
from scrapy.utils.httpobj import urlparse_cached

from crawler.handlers.streams import CachedInfoBackend

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


class IsolatedHttpxDownloadHandler(HttpxDownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        self._backend = CachedInfoBackend()  # before the default client is made (in super().__init__)
        super().__init__(crawler)
        self._max_clients = crawler.settings.getint("ONIONDEX_MAX_PROXY_CLIENTS")
        self._limits = httpx.Limits(
            max_connections=self._limits.max_connections,
            max_keepalive_connections=self._limits.max_keepalive_connections,
            keepalive_expiry=crawler.settings.getfloat("ONIONDEX_KEEPALIVE_EXPIRY"),
        )
        self._proxy_clients: OrderedDict[str, Any] = OrderedDict()
        self._in_flight: Counter[str] = Counter()
        self._closing: set[asyncio.Task[None]] = set()
        # Per download slot: its turns, and the requests holding or awaiting one (both dropped at none).
        self._turns: dict[str, asyncio.Semaphore] = {}
        self._turn_users: Counter[str] = Counter()

    def _make_client(self, proxy_url: str | None = None) -> httpx.AsyncClient:
        client = super()._make_client(proxy_url)
        pool = getattr(getattr(client, "_transport", None), "_pool", None)
        if pool is not None and hasattr(pool, "_network_backend"):  # httpx's own pool: its streams' info cached
            pool._network_backend = self._backend
        return client

    def _get_client(self, proxy_url: str | None) -> Any:
        if proxy_url is not None and proxy_url in self._proxy_clients:
            self._proxy_clients.move_to_end(proxy_url)
        client = super()._get_client(proxy_url)
        self._evict_idle()
        return client

    def _evict_idle(self) -> None:
        excess = len(self._proxy_clients) - self._max_clients
        if excess <= 0:
            return  # the usual case: no copy of a thousand clients' names per request
        for proxy_url in list(self._proxy_clients):
            if excess <= 0:
                return
            if self._in_flight[proxy_url]:
                continue  # an active site: its connection stays open
            oldest = self._proxy_clients.pop(proxy_url)
            excess -= 1
            task = asyncio.ensure_future(oldest.aclose())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    async def download_request(self, request: Request) -> Response:
        slot = request.meta.get("download_slot") or urlparse_cached(request).hostname or ""
        turns = self._turns.get(slot) or self._turns.setdefault(slot, asyncio.Semaphore(self._pool_size_per_host))
        self._turn_users[slot] += 1
        try:
            async with turns:
                return await self._download_in_turn(request)
        finally:
            self._turn_users[slot] -= 1
            if not self._turn_users[slot]:
                del self._turn_users[slot], self._turns[slot]

    async def _download_in_turn(self, request: Request) -> Response:
        # DOWNLOAD_TIMEOUT bounds the whole download, as in Scrapy's default handler: httpx applies it to
        # each connect and read, so a site trickling its answer would hold a slot and its circuit at will.
        timeout = request.meta.get("download_timeout", self._DEFAULT_CONNECT_TIMEOUT)
        try:
            async with asyncio.timeout(timeout):
                return await super().download_request(request)
        except TimeoutError as exc:
            raise DownloadTimeoutError(f"Getting {request.url} took longer than {timeout} seconds.") from exc

    @asynccontextmanager
    async def _make_request(self, request: Request, timeout: float) -> AsyncIterator[httpx.Response]:
        proxy_url = self._extract_proxy_url_with_creds(request) or ""
        self._in_flight[proxy_url] += 1
        try:
            async with super()._make_request(request, timeout) as response:
                yield response
        finally:
            self._in_flight[proxy_url] -= 1
            if not self._in_flight[proxy_url]:
                del self._in_flight[proxy_url]

    @property
    def open_clients(self) -> int:
        return len(self._proxy_clients)
