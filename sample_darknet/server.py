"""One HTTP server for every site, routed by the Host header; loopback only; every request logged.

Threaded so a slow page (5–8 s) never holds up the others. Unknown hosts and dead sites get a bare
404, so nothing about them can be crawled.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any

from sample_darknet import members
from sample_darknet.model import PageSpec
from sample_darknet.world import World

LOOPBACK = "127.0.0.1"


class RequestLog:
    """JSON lines, one per request: host, path, method, status, bytes of body sent, cookie names."""

    def __init__(self, path: str | Path | None) -> None:
        self._lock = threading.Lock()
        self._file: IO[str] | None = open(path, "a", encoding="utf-8") if path else None  # noqa: SIM115

    def write(self, record: dict[str, Any]) -> None:
        if self._file is None:
            return
        with self._lock:
            self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._file.flush()


class DarknetServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, world: World, port: int = 0, log: RequestLog | None = None) -> None:
        self.world, self.log = world, log or RequestLog(None)
        self.members = members.MemberSites(world)
        super().__init__((LOOPBACK, port), DarknetHandler)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.server_address[1]}"


class DarknetHandler(BaseHTTPRequestHandler):
    server: DarknetServer
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "nginx"  # what onion sites usually claim; never Python's own banner

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_POST(self) -> None:
        self._serve(send_body=True)  # member sites take logins; every other site answers 405

    def _serve(self, send_body: bool) -> None:
        host = (self.headers.get("Host") or "").split(":", 1)[0].lower()
        site = self.server.world.site(host)
        if site is not None and members.is_member_site(site):
            members.serve(self, site, self.server.members, send_body)
            return
        if self.command == "POST":
            self._send(405, [("Content-Type", "text/plain")], [b"method not allowed\n"], host, send_body)
            return
        page = site.lookup(self.path) if site is not None and site.served else None
        if page is None:
            self._send(404, [("Content-Type", "text/plain")], [b"not found\n"], host, send_body)
            return
        if page.delay:
            time.sleep(page.delay)
        self._send(page.status, _headers(page), _chunks(page), host, send_body)

    def _send(self, status: int, headers: list[tuple[str, str]], chunks: Any, host: str, send_body: bool) -> None:
        sent = 0
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if not any(name == "Content-Length" for name, _ in headers):
            body = b"".join(chunks)
            chunks = [body]
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            for chunk in chunks if send_body else ():
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a size cap did its job); the log still says how much went out
        finally:
            self.server.log.write(
                {
                    "host": host,
                    "path": self.path,
                    "method": self.command,
                    "status": status,
                    "bytes": sent,
                    "time": round(time.time(), 3),
                    "cookies": sorted(members.cookies_of(self.headers.get("Cookie", ""))),  # names, never values
                }
            )

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the stderr access log: the JSON log is the record."""


def _headers(page: PageSpec) -> list[tuple[str, str]]:
    headers = [("Content-Type", page.content_type), ("Content-Length", str(page.body_length()))]
    return headers + list(page.headers)


def _chunks(page: PageSpec) -> Any:
    return page.stream() if page.stream is not None else [page.body]
