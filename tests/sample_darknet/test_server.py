from __future__ import annotations

import http.client
import socket
import threading
import time

from sample_darknet import World
from sample_darknet.sites import payloads
from sample_darknet.testing import Running


def _get(darknet: Running, host: str, path: str, method: str = "GET", timeout: float = 10) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", darknet.port, timeout=timeout)
    try:
        conn.request(method, path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_listens_on_loopback_only(darknet: Running, socks_front: Running) -> None:
    assert darknet.url.startswith("http://127.0.0.1:")
    assert socks_front.url.startswith("socks5h://127.0.0.1:")
    listening = _listening_addresses()
    for port in (darknet.port, socks_front.port):
        assert listening.get(port) == {"127.0.0.1"}


def _listening_addresses() -> dict[int, set[str]]:
    """Local addresses of listening TCP sockets by port, from /proc/net/tcp{,6} (Linux)."""
    found: dict[int, set[str]] = {}
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(name, encoding="ascii") as table:
            for row in list(table)[1:]:
                local, state = row.split()[1], row.split()[3]
                if state == "0A":
                    address, port = local.split(":")
                    shown = socket.inet_ntoa(bytes.fromhex(address)[::-1]) if len(address) == 8 else address
                    found.setdefault(int(port, 16), set()).add(shown)
    return found


def test_routes_by_host(darknet: Running, world: World) -> None:
    for site_id in ("market-table", "ko-ads-ice", "enc-cp1251"):
        site = world.by_id(site_id)
        status, headers, body = _get(darknet, site.onion, "/")
        assert (status, body) == (200, site.pages["/"].body)
        assert headers["Content-Type"] == site.pages["/"].content_type


def test_unknown_and_dead_hosts_get_a_bare_404(darknet: Running, world: World) -> None:
    dead = world.by_id("dead-market").onion
    for host in (dead, "example.com", "127.0.0.1"):
        status, _, body = _get(darknet, host, "/")
        assert status == 404
        assert b"<a" not in body
    assert _get(darknet, world.by_id("market-table").onion, "/no-such-page")[0] == 404


def test_slow_page_does_not_block_others(darknet: Running, world: World) -> None:
    slow = world.by_id("hostile-slow")
    outcome: list[str] = []

    def fetch_slow() -> None:
        try:
            _get(darknet, slow.onion, "/slow/3", timeout=1.5)
            outcome.append("answered")
        except TimeoutError:
            outcome.append("timed out")

    thread = threading.Thread(target=fetch_slow, daemon=True)
    started = time.monotonic()
    thread.start()
    status, _, _ = _get(darknet, slow.onion, "/fast")
    assert status == 200
    assert time.monotonic() - started < 1.0
    thread.join()
    assert outcome == ["timed out"]  # the slow page really was slow (8 s)


def test_redirect_loop(darknet: Running, world: World) -> None:
    site = world.by_id("hostile-redirect")
    status, headers, _ = _get(darknet, site.onion, "/loop/a")
    assert (status, headers["Location"]) == (302, "/loop/b")
    assert _get(darknet, site.onion, "/loop/b")[1]["Location"] == "/loop/a"
    assert _get(darknet, site.onion, "/to-clearnet")[1]["Location"] == "http://example.com/"


def test_bomb_and_huge_headers(darknet: Running, world: World) -> None:
    status, headers, body = _get(darknet, world.by_id("hostile-bomb").onion, "/bomb.html")
    assert headers["Content-Encoding"] == "gzip"
    assert len(body) == payloads.BOMB_WIRE_SIZE
    status, headers, body = _get(darknet, world.by_id("hostile-huge").onion, "/huge.html", method="HEAD")
    assert (status, int(headers["Content-Length"]), body) == (200, payloads.HUGE_SIZE, b"")


def _wait_for_log(darknet: Running, host: str, path: str, timeout: float = 5.0) -> list[dict]:
    """The server logs a request after its last byte is sent, so the client can read the body first."""
    deadline = time.monotonic() + timeout
    while True:
        records = [r for r in darknet.log() if r["host"] == host]
        if (records and records[-1]["path"] == path) or time.monotonic() > deadline:
            return records
        time.sleep(0.05)


def test_media_without_extension_and_the_request_log(darknet: Running, world: World) -> None:
    site = world.by_id("hostile-media")
    _, headers, body = _get(darknet, site.onion, "/view?id=7", method="HEAD")
    assert headers["Content-Type"] == "image/png"
    assert body == b""
    _status, headers, body = _get(darknet, site.onion, "/img/logo.png")
    assert body.startswith(b"\x89PNG")
    records = _wait_for_log(darknet, site.onion, "/img/logo.png")
    assert {"host", "path", "method", "status", "bytes"} <= set(records[-1])
    assert [(r["path"], r["method"], r["bytes"]) for r in records[-2:]] == [
        ("/view?id=7", "HEAD", 0),
        ("/img/logo.png", "GET", len(body)),
    ]


def test_trap_pages_are_made_up_on_the_fly(darknet: Running, world: World) -> None:
    site = world.by_id("trap-calendar")
    status, _, body = _get(darknet, site.onion, "/calendar/3021/7")
    assert status == 200
    assert b'href="/calendar/3021/8"' in body
