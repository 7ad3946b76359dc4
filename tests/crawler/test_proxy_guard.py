"""The crawl refuses to start unless the proxy answers as Tor does."""

import socket
import socketserver
import threading
from typing import ClassVar

import pytest
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.extensions.proxy_guard import ProxyGuard
from crawler.middlewares.tor_proxy import ProxyNotConfigured
from oniondex.tor_probe import probe_tor_socks


class _Answer(socketserver.BaseRequestHandler):
    answers: ClassVar[dict[bytes, bytes]] = {}

    def handle(self):
        first = self.request.recv(64)
        for prefix, reply in self.answers.items():
            if first.startswith(prefix):
                self.request.sendall(reply)
                return


def serve(answers):
    handler = type("Handler", (_Answer,), {"answers": answers})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


TOR_LIKE = {b"\x05": b"\x05\x00", b"GET": b"HTTP/1.0 501 Tor is not an HTTP Proxy\r\n\r\n"}
PLAIN_SOCKS = {b"\x05": b"\x05\x00", b"GET": b""}
HTTP_SERVER = {b"GET": b"HTTP/1.0 200 OK\r\n\r\nhello", b"\x05": b"HTTP/1.0 400 Bad\r\n\r\n"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("answers", "ok", "says"),
    [
        (TOR_LIKE, True, "Tor SOCKS proxy"),
        (PLAIN_SOCKS, False, "not Tor"),
        (HTTP_SERVER, False, "does not speak SOCKS5"),
    ],
)
def test_probe(answers, ok, says):
    server = serve(answers)
    try:
        result = probe_tor_socks(*server.server_address, timeout=2)
    finally:
        server.shutdown()
    assert result.ok is ok
    assert says in result.message


def test_probe_nothing_listening():
    result = probe_tor_socks("127.0.0.1", free_port(), timeout=2)
    assert not result.ok
    assert "no proxy answers" in result.message


def test_guard_refuses_without_proxy_or_with_non_tor():
    with pytest.raises(ProxyNotConfigured, match="never crawls without Tor"):
        build_from_crawler(ProxyGuard, get_crawler(settings_dict={"ONIONDEX_PROXY": ""}))
    server = serve(PLAIN_SOCKS)
    host, port = server.server_address
    try:
        with pytest.raises(ProxyNotConfigured, match="not Tor"):
            build_from_crawler(ProxyGuard, get_crawler(settings_dict={"ONIONDEX_PROXY": f"socks5h://{host}:{port}"}))
    finally:
        server.shutdown()
