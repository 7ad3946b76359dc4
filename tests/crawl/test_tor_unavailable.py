"""A Tor outage longer than the wait budget ends the crawl with its own reason, not a grind of tor_errors."""

from __future__ import annotations

import socket
import threading

from tests.conftest import run_crawl

SITES = [
    "fb3pditshtpb5mtd3up7jesycmhitaxagrlobbvz4cgabhzjnefoqgqd.onion",
    "6q7srvdpzpc5gg23kzngulertw42jh3x3szcxktxlgzt242fm2wkjyad.onion",
]


def tor_that_dies_after_the_check() -> tuple[str, threading.Thread]:
    """Answers the proxy guard's two probes as Tor's SocksPort would, then stops listening: every fetch
    after that is a refused connection to the proxy, which is what a Tor outage looks like."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        with listener:
            for answer in (b"\x05\x00", b"HTTP/1.0 501 Tor is not an HTTP Proxy\r\n\r\n"):
                conn, _ = listener.accept()
                with conn:
                    conn.recv(64)
                    conn.sendall(answer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return f"socks5h://127.0.0.1:{listener.getsockname()[1]}", thread


def test_outage_past_the_budget_stops_the_crawl_as_tor_unavailable(tmp_path):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("".join(f"http://{site}/\n" for site in SITES), encoding="utf-8")
    proxy, thread = tor_that_dies_after_the_check()
    run = run_crawl(
        tmp_path / "data",
        seeds,
        proxy,
        "-s",
        "ONIONDEX_TOR_OUTAGE_FIRST_WAIT=0.2",
        "-s",
        "ONIONDEX_TOR_OUTAGE_MAX_WAIT=1",
        timeout=120,
    )
    thread.join(5)
    assert run.summary["finish_reason"] == "tor_unavailable"
    assert "'oniondex/tor/unavailable': 1" in run.output
    assert "crawl finished (tor_unavailable)" in run.output
    assert run.returncode == 4, run.output[-2000:]
