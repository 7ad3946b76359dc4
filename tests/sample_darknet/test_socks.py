from __future__ import annotations

import socket
import struct

import pytest

from sample_darknet import World
from sample_darknet.keys import broken_onion, stray_onion
from sample_darknet.testing import Running


def _connect(front: Running, host: str, port: int = 80, user: str | None = "site-a", atyp: int = 3) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", front.port), timeout=5)
    sock.sendall(b"\x05\x01\x02" if user is not None else b"\x05\x01\x00")
    method = sock.recv(2)
    if user is not None:
        assert method == b"\x05\x02"
        sock.sendall(b"\x01" + bytes([len(user)]) + user.encode() + b"\x03pwd")
        assert sock.recv(2) == b"\x01\x00"
    else:
        assert method == b"\x05\x00"
    address = bytes([len(host)]) + host.encode() if atyp == 3 else socket.inet_aton(host)
    sock.sendall(bytes([5, 1, 0, atyp]) + address + struct.pack(">H", port))
    return sock


def _reply(sock: socket.socket) -> int:
    reply = sock.recv(10)
    assert reply[0] == 5
    return reply[1]


def test_onion_is_routed_to_the_darknet(socks_front: Running, world: World) -> None:
    site = world.by_id("shop-candyman")
    with _connect(socks_front, site.onion, user="circuit-42") as sock:
        assert _reply(sock) == 0
        sock.sendall(f"GET / HTTP/1.0\r\nHost: {site.onion}\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.")
    assert data.endswith(site.pages["/"].body)
    assert {"event": "connect", "username": "circuit-42", "host": site.onion, "port": 80, "reply": 0} in (
        socks_front.log()
    )


def test_no_auth_also_works(socks_front: Running, world: World) -> None:
    with _connect(socks_front, world.by_id("forum-hub").onion, user=None) as sock:
        assert _reply(sock) == 0


@pytest.mark.parametrize(
    ("host", "code"),
    [
        ("dead", 0xF0),  # a site of the world that is not served
        ("stray", 0xF0),  # a valid name that belongs to no site
        ("broken", 0xF6),
        ("example.com", 0x02),
    ],
)
def test_reply_codes(socks_front: Running, world: World, host: str, code: int) -> None:
    name = {
        "dead": world.by_id("dead-forum").onion,
        "stray": stray_onion(world.seed, "nobody"),
        "broken": broken_onion(world.seed, "x"),
    }.get(host, host)
    with _connect(socks_front, name) as sock:
        assert _reply(sock) == code


def test_ip_address_is_blocked_and_logged(socks_front: Running) -> None:
    with _connect(socks_front, "93.184.216.34", atyp=1) as sock:
        assert _reply(sock) == 0x02
    blocked = [r for r in socks_front.log() if r["event"] == "blocked_clearnet"]
    assert {r["host"] for r in blocked} >= {"93.184.216.34"}


def test_http_probe_gets_tors_answer(socks_front: Running) -> None:
    with socket.create_connection(("127.0.0.1", socks_front.port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.0\r\n\r\n")
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.0 501 Tor is not an HTTP Proxy\r\n")
