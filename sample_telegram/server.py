"""The sample Telegram over HTTP on 127.0.0.1, answering for the hosts t.me and telegram.me only.

`/s/CH[?before=N|?after=N]` is the preview, `/CH` the contact page; a channel without a preview shows
the contact page at `/s/CH` or redirects there. Some channels answer their n-th request with HTTP 429
(with or without Retry-After), as Telegram does to bursts. In flood mode (`flood`: the n-th requests of
every channel) a request gets Telegram's other answer to bursts instead: a 200 page saying too many
requests, naming the wait. Every request is logged as JSON lines.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sample_darknet.server import LOOPBACK, RequestLog
from sample_telegram.markup import contact_page, flood_notice, preview_page
from sample_telegram.world import TelegramWorld

HOSTS = frozenset({"t.me", "telegram.me"})
FLOOD_WAIT = 1  # seconds named by odd-numbered flood notices; even ones name no wait


class TelegramServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        world: TelegramWorld,
        port: int = 0,
        log: RequestLog | None = None,
        host: str = LOOPBACK,
        flood: tuple[int, ...] = (),
    ) -> None:
        """`host` is a loopback address (the private Tor network's exit reaches t.me on 127.x.y.z:80)."""
        self.world, self.log, self.flood = world, log or RequestLog(None), flood
        self.requests_per_channel: dict[str, int] = {}
        self.lock = threading.Lock()
        super().__init__((host, port), TelegramHandler)

    @property
    def url(self) -> str:
        return f"http://{self.server_address[0]}:{self.server_address[1]}"

    def count(self, channel: str) -> int:
        with self.lock:
            self.requests_per_channel[channel] = self.requests_per_channel.get(channel, 0) + 1
            return self.requests_per_channel[channel]


class TelegramHandler(BaseHTTPRequestHandler):
    server: TelegramServer
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "nginx/1.18.0"

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":", 1)[0].lower()
        parts = urlsplit(self.path)
        segments = [s for s in parts.path.split("/") if s]
        preview = segments[:1] == ["s"]
        name = (segments[1] if preview and len(segments) > 1 else segments[0] if segments else "").lower()
        channel = self.server.world.channel(name) if host in HOSTS else None
        if channel is None:
            self._send(404, "text/html; charset=utf-8", "<html><body>Not found</body></html>", host)
            return
        nth = self.server.count(channel.username)
        if nth in channel.rate_limited:
            headers = [("Retry-After", channel.retry_after)] if channel.retry_after else []
            self._send(429, "text/plain; charset=utf-8", "Too Many Requests", host, headers)
            return
        if nth in self.server.flood:
            self._send(200, "text/html; charset=utf-8", flood_notice(FLOOD_WAIT if nth % 2 else 0), host, flood=True)
            return
        if preview and channel.has_preview:
            query = parse_qs(parts.query)
            self._send(
                200,
                "text/html; charset=utf-8",
                preview_page(channel, _int(query, "before"), _int(query, "after")),
                host,
            )
        elif preview and channel.redirects:
            self._send(302, "text/html; charset=utf-8", "", host, [("Location", f"/{channel.username}")])
        else:
            self._send(200, "text/html; charset=utf-8", contact_page(channel), host)

    def _send(
        self,
        status: int,
        ctype: str,
        body: str,
        host: str,
        headers: list[tuple[str, str]] | None = None,
        flood: bool = False,
    ) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers or []:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        record = {"host": host, "path": self.path, "status": status, "bytes": len(data), "time": round(time.time(), 3)}
        self.server.log.write({**record, "flood": True} if flood else record)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the stderr access log: the JSON log is the record."""


def _int(query: dict[str, list[str]], name: str) -> int | None:
    value = query.get(name, [""])[0]
    return int(value) if value.isdigit() else None
