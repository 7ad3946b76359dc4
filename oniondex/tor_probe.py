"""Is the proxy there, and is it Tor? Asked before any crawl, over loopback sockets to the proxy only.

Two questions, both answerable without sending a byte anywhere but the proxy:
1. does it speak SOCKS5 (greeting → method choice)?
2. does it answer an HTTP request the way Tor's SocksPort does ("HTTP/1.0 501 Tor is not an HTTP Proxy")?
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

TOR_HTTP_ANSWER = b"Tor is not an HTTP Proxy"


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    message: str


def _exchange(conn: socket.socket, payload: bytes, want: int) -> bytes:
    conn.sendall(payload)
    data = b""
    while len(data) < want:
        chunk = conn.recv(want - len(data))
        if not chunk:
            break
        data += chunk
    return data


def probe_tor_socks(host: str, port: int, timeout: float = 5.0) -> ProbeResult:
    where = f"{host}:{port}"
    try:
        conn = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        return ProbeResult(False, f"no proxy answers at {where} ({exc}); start Tor (make tor) or fix ONIONDEX_PROXY")
    with conn:
        try:
            greeting = _exchange(conn, b"\x05\x02\x00\x02", 2)
        except OSError as exc:
            greeting = f"nothing ({exc})".encode()
    if len(greeting) != 2 or greeting[0] != 5 or greeting[1] not in (0, 2):
        return ProbeResult(False, f"{where} does not speak SOCKS5 (answered {greeting!r}); is it Tor's SocksPort?")
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            answer = _exchange(conn, b"GET / HTTP/1.0\r\n\r\n", 512)
    except OSError as exc:
        return ProbeResult(False, f"{where} speaks SOCKS5 but the Tor check failed: {exc}")
    if TOR_HTTP_ANSWER not in answer:
        return ProbeResult(
            False, f"{where} speaks SOCKS5 but is not Tor (no '{TOR_HTTP_ANSWER.decode()}' answer); refusing to crawl"
        )
    return ProbeResult(True, f"Tor SOCKS proxy at {where}")
