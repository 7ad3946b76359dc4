"""The SOCKS5 port of the simulated network, and the HTTP/1.1 sites behind it, in one asyncio loop.

Timing, as Tor gives it: a CONNECT on a circuit not built yet for (SOCKS username, onion) waits the
site's circuit time (one build at a time per circuit, others wait on it; circuits are reused for
MaxCircuitDirtiness, 10 minutes), then one round trip for the stream; on a built circuit only the round
trip. Every HTTP request on a stream costs one round trip plus its bytes at the stream's bandwidth;
kept-alive streams serve any number of requests. A dead site answers its CONNECT with 0xF0 or 0xF2
after 10-30 s. Counters (streams, also per site and those of sites fully fetched, circuits, pages, keep-alive
reuses, busy streams) go to a JSON file.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter
from pathlib import Path

from bench.simtor.network import NetworkShape, Site, build_sites, page_body, page_number
from sample_darknet.socks import _HTTP_501, NOT_ALLOWED, OK, SocksFront, _reply

CIRCUIT_DIRTINESS = 600.0


class SimulatedTor(SocksFront):
    def __init__(self, shape: NetworkShape) -> None:
        super().__init__(world=None, upstream=("", 0), log=lambda event: None)  # type: ignore[arg-type]
        self.shape = shape
        self.sites = build_sites(shape)
        self.circuits: dict[tuple[str, str], tuple[float, asyncio.Future[None]]] = {}
        self.counts: Counter[str] = Counter()
        self.streams_by_site: Counter[str] = Counter()  # a site should need no more than its request slots
        self.served: dict[str, set[int]] = {}
        self.finished_at: list[float] = []  # seconds since the first stream, one per live site fully fetched
        self.dead_answered = 0
        self.started = 0.0
        self.first_page_at = 0.0  # wall clock (the bench compares it with the crawl process's start)
        self.busy = 0  # streams waiting on a CONNECT or serving a request: the crawler's slots in use

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        first = await reader.readexactly(1)
        if first != b"\x05":
            writer.write(_HTTP_501)
            await writer.drain()
            return
        username = await self._negotiate(reader, writer)
        if username is None:
            return
        host, _port = await self._request(reader, writer)
        site = self.sites.get(host.lower())
        if site is None:
            await _reply(writer, NOT_ALLOWED)
            return
        self.started = self.started or time.monotonic()
        self.busy += 1
        try:
            ok = await self._connect(username, site)
        finally:
            self.busy -= 1
        if not ok:
            await _reply(writer, site.dead_code)
            return
        await _reply(writer, OK)
        await self._serve_http(site, reader, writer)

    async def _connect(self, username: str, site: Site) -> bool:
        self.counts["streams"] += 1
        self.streams_by_site[site.host] += 1
        if site.dead:
            await asyncio.sleep(site.dead_after)
            self.dead_answered += 1
            return False
        key = (username, site.host)
        now = time.monotonic()
        built = self.circuits.get(key)
        if built is None or now - built[0] > CIRCUIT_DIRTINESS:
            done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self.circuits[key] = (now, done)
            self.counts["circuits"] += 1
            await asyncio.sleep(site.circuit)
            done.set_result(None)
        else:
            await built[1]
        await asyncio.sleep(site.rtt)  # RELAY_BEGIN … RELAY_CONNECTED
        return True

    async def _serve_http(self, site: Site, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        requests_here = 0
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1].decode("latin-1")
            self.busy += 1
            try:
                requests_here += 1
                self.counts["keepalive_reuses"] += requests_here > 1
                number = page_number(path)
                body = page_body(site, number, self.shape) if number is not None and number < self.shape.pages else b""
                await asyncio.sleep(site.rtt + len(body) / self.shape.bandwidth)
                status = b"200 OK" if body else b"404 Not Found"
                writer.write(
                    b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html; charset=utf-8\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: keep-alive\r\n\r\n" + body
                )
                await writer.drain()
            finally:
                self.busy -= 1
            if body:
                self._count_page(site, number)

    def _count_page(self, site: Site, number: int) -> None:
        self.counts["pages"] += 1
        self.first_page_at = self.first_page_at or time.time()
        seen = self.served.setdefault(site.host, set())
        if number in seen:
            self.counts["pages_again"] += 1
            return
        seen.add(number)
        if len(seen) == self.shape.pages:
            self.finished_at.append(time.monotonic() - self.started)
            self.counts["streams_of_finished"] += self.streams_by_site[site.host]

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._session(reader, writer)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError, IndexError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    def snapshot(self) -> dict[str, object]:
        return {
            "elapsed": time.monotonic() - self.started if self.started else 0.0,
            **self.counts,
            "busy": self.busy,
            "sites_touched": len(self.served),
            "sites_finished": len(self.finished_at),
            "finished_at": self.finished_at,
            "dead_answered": self.dead_answered,
            "first_page_at": self.first_page_at,
            "streams_by_site": dict(self.streams_by_site),
        }


async def serve(shape: NetworkShape, seeds_path: Path, stats_path: Path, sample_every: float = 5.0) -> None:
    tor = SimulatedTor(shape)
    seeds_path.write_text("".join(f"http://{host}/\n" for host in tor.sites), encoding="utf-8")
    server = await asyncio.start_server(tor.handle, "127.0.0.1", 0, limit=1 << 16, backlog=4096)
    print(f"READY socks5h://127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
    samples: list[dict[str, object]] = []
    async with server:
        while True:
            await asyncio.sleep(sample_every)
            snap = tor.snapshot()
            samples.append({k: v for k, v in snap.items() if k not in ("finished_at", "streams_by_site")})
            stats_path.write_text(json.dumps({**snap, "samples": samples}), encoding="utf-8")
