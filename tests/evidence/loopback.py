"""A tiny world for capture tests: an HTTP server for a few onion hosts whose pages a test can change
between crawls, and a SOCKS5 stand-in for Tor in front of it. Both bind 127.0.0.1 on port 0."""

from __future__ import annotations

import contextlib
import gzip
import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ONION = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"
OTHER = "6q7srvdpzpc5gg23kzngulertw42jh3x3szcxktxlgzt242fm2wkjyad.onion"


@dataclass
class Served:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    pages: dict[tuple[str, str], Served] = field(default_factory=dict)

    def html(self, host: str, path: str, body: str, links: tuple[str, ...] = (), gzip_it: bool = False) -> None:
        anchors = "".join(f'<a href="{link}">{link}</a> ' for link in links)
        raw = f"<html><head><title>{path}</title></head><body><p>{body}</p>{anchors}</body></html>".encode()
        headers = {"Content-Encoding": "gzip"} if gzip_it else {}
        body = gzip.compress(raw, mtime=0) if gzip_it else raw
        self.pages[(host, path)] = Served(200, "text/html; charset=utf-8", body, headers)


def sample_world() -> World:
    world = World()
    world.html(
        ONION,
        "/",
        "Welcome to the escrow market",
        ("/changing", "/stable", "/zipped", "/old", "/logo.jpg", "/blob"),
    )
    world.html(ONION, "/changing", "Ice 1g for 100 dollars, vendor kimchi")
    world.html(ONION, "/stable", "Terms: escrow only, no refunds")
    world.html(ONION, "/zipped", "compressed listing of crystal", gzip_it=True)
    world.pages[(ONION, "/old")] = Served(301, "text/html", b"", {"Location": "/new-home"})
    world.html(ONION, "/new-home", "the market moved here")
    world.pages[(ONION, "/blob")] = Served(200, "application/octet-stream", b"\x00" * 4096)
    world.pages[(ONION, "/logo.jpg")] = Served(200, "image/jpeg", b"\xff\xd8" + b"\x00" * 4096)
    world.html(OTHER, "/", "A forum about vendors", ("/thread",))
    world.html(OTHER, "/thread", "thread about escrow scams")
    return world


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HttpServer

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":", 1)[0]
        served = self.server.world.pages.get((host, self.path), Served(404, "text/plain", b"not found\n"))
        self.server.requests.append((host, self.path))
        self.send_response(served.status)
        self.send_header("Content-Type", served.content_type)
        self.send_header("Content-Length", str(len(served.body)))
        for name, value in served.headers.items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(served.body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, world: World) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.world = world
        self.requests: list[tuple[str, str]] = []


class _SocksHandler(socketserver.BaseRequestHandler):
    """SOCKS5 CONNECT (no auth, or username/password as with IsolateSOCKSAuth), every host to one upstream."""

    server: _SocksServer

    def handle(self) -> None:
        with contextlib.suppress(ConnectionError):
            self._handle(self.request)

    def _handle(self, client: socket.socket) -> None:
        version, count = _recv(client, 2)
        if version != 5:  # an HTTP request: answer as Tor's SocksPort does (the crawl's proxy check asks)
            client.sendall(b"HTTP/1.0 501 Tor is not an HTTP Proxy\r\nContent-Type: text/html\r\n\r\n")
            return
        methods = _recv(client, count)
        if 2 in methods:
            client.sendall(b"\x05\x02")
            _ver, user_length = _recv(client, 2)
            _recv(client, user_length)
            (password_length,) = _recv(client, 1)
            _recv(client, password_length)
            client.sendall(b"\x01\x00")
        else:
            client.sendall(b"\x05\x00")
        _ver, _cmd, _rsv, address_type = _recv(client, 4)
        if address_type == 3:
            (length,) = _recv(client, 1)
            self.server.hosts.append(_recv(client, length).decode())
        else:
            _recv(client, 4 if address_type == 1 else 16)
        _recv(client, 2)
        upstream = socket.create_connection(self.server.upstream)
        client.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack("!H", 0))
        pump = threading.Thread(target=_pipe, args=(upstream, client), daemon=True)
        pump.start()
        _pipe(client, upstream)
        pump.join(5)


class _SocksServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, upstream: tuple[str, int]) -> None:
        super().__init__(("127.0.0.1", 0), _SocksHandler)
        self.upstream = upstream
        self.hosts: list[str] = []


def _recv(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("SOCKS client went away")
        data += chunk
    return data


def _pipe(source: socket.socket, target: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while chunk := source.recv(65536):
            target.sendall(chunk)
    with contextlib.suppress(OSError):
        target.shutdown(socket.SHUT_WR)


@dataclass
class Running:
    world: World
    http: _HttpServer
    socks: _SocksServer

    @property
    def proxy(self) -> str:
        return f"socks5h://127.0.0.1:{self.socks.server_address[1]}"


@contextlib.contextmanager
def running_world(world: World) -> Iterator[Running]:
    http = _HttpServer(world)
    socks = _SocksServer(("127.0.0.1", http.server_address[1]))
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in (http, socks)]
    for thread in threads:
        thread.start()
    try:
        yield Running(world, http, socks)
    finally:
        for server in (http, socks):
            server.shutdown()
            server.server_close()
