"""Test support for watchlists: a loopback SMTP server (aiosmtpd), a loopback webhook receiver, and an
HTTP front for the sample darknet that can serve a page changed or missing (the world itself stays as is)."""

from __future__ import annotations

import http.client
import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A free loopback port for a server that cannot bind port 0 itself (aiosmtpd checks its own port)."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname=LOOPBACK, port=free_port())
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()


@dataclass
class Received:
    body: bytes
    headers: dict[str, str]

    @property
    def alerts(self) -> list[dict[str, Any]]:
        return json.loads(self.body)["alerts"]


class WebhookReceiver:
    """Records each POST; answers 500 to the first `fail_first` of them."""

    def __init__(self, fail_first: int = 0) -> None:
        self.received: list[Received] = []
        self.refused = 0
        self.fail_first = fail_first
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                if receiver.refused < receiver.fail_first:
                    receiver.refused += 1
                    self.send_response(500)
                else:
                    receiver.received.append(Received(body, {k.lower(): v for k, v in self.headers.items()}))
                    self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.url = f"http://{LOOPBACK}:{self.server.server_address[1]}/hook"

    def __enter__(self) -> WebhookReceiver:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class DarknetFront:
    """Between the SOCKS stand-in and the sample darknet: passes every request on, except the (host, path)
    pairs in `overrides`, answered with their (status, body) instead: a page changed, or gone."""

    def __init__(self, upstream_url: str) -> None:
        self.overrides: dict[tuple[str, str], tuple[int, bytes]] = {}
        upstream = urlsplit(upstream_url)
        front = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                host = (self.headers.get("host") or "").split(":", 1)[0].lower()
                override = front.overrides.get((host, self.path))
                if override is not None:
                    self._answer(override[0], [("Content-Type", "text/html; charset=utf-8")], override[1])
                    return
                connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=30)
                try:
                    connection.request("GET", self.path, headers=dict(self.headers.items()))
                    answer = connection.getresponse()
                    body = answer.read()
                    headers = [
                        (k, v) for k, v in answer.getheaders() if k.lower() not in ("content-length", "connection")
                    ]
                    self._answer(answer.status, headers, body)
                finally:
                    connection.close()

            def _answer(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{LOOPBACK}:{self.server.server_address[1]}"

    def __enter__(self) -> DarknetFront:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def wait_for(predicate: Any, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return bool(predicate())


def page_document(url: str, html: str, fetched_at: str = "2026-11-01T00:00:00Z") -> dict[str, Any]:
    """The index document the crawl would write for this page (extraction and serializer as in the crawl)."""
    from oniondex.extraction import extract_page
    from oniondex.index.documents import record_document
    from oniondex.page import Page
    from oniondex.records import PageRecord

    page = Page(url, html.encode("utf-8"), "text/html; charset=utf-8", 200)
    record = PageRecord(url=url, site=urlsplit(url).hostname or "", fetched_at=fetched_at, status=200, page=page)
    record.extraction = extract_page(page, fetched_at)
    record.sha256 = page.sha256
    return record_document(record)
