"""One private Tor network for the tor tests: 3 onion services in front of a loopback HTTP server, every
live site of the sample darknet under its ground-truth name, and an exit relay reaching only the loopback
stand-in for t.me (test_telegram_exit.py): one bring-up for the whole leg, not one per module."""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from oniondex.tornet import TorNet, onion_for_seed
from oniondex.tornet.clearnet import ClearnetStandIn, free_loopback_address
from sample_darknet import build_world
from sample_darknet.testing import Running

N_SERVICES = 3


def seed_for(label: str) -> bytes:
    return hashlib.sha256(f"oniondex tornet test {label}".encode()).digest()


@dataclass
class HelloServer:
    """Answers every GET with `hello <Host> <path>` and remembers the Host headers it saw."""

    port: int
    hosts: list[str] = field(default_factory=list)


def _handler(record: HelloServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            record.hosts.append(self.headers.get("Host", ""))
            body = f"hello {self.headers.get('Host')} {self.path}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Hello


@pytest.fixture(scope="session")
def hello_server() -> Iterator[HelloServer]:
    record = HelloServer(0)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(record))
    record.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield record
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def service_seeds() -> list[bytes]:
    return [seed_for(f"service {i}") for i in range(N_SERVICES)]


@pytest.fixture(scope="session")
def unpublished_onion() -> str:
    """A well-formed v3 name no tor in the network hosts."""
    return onion_for_seed(seed_for("never published"))


@pytest.fixture(scope="session")
def stand_in() -> str:
    """The loopback address t.me and telegram.me stand in on, behind the network's exit."""
    return free_loopback_address()


@pytest.fixture(scope="session")
def tornet(
    tmp_path_factory: pytest.TempPathFactory,
    hello_server: HelloServer,
    service_seeds: list[bytes],
    darknet: Running,
    stand_in: str,
) -> Iterator[TorNet]:
    sample = [(site.key_seed, darknet.port) for site in build_world().sites.values() if site.served]
    services = [(seed, hello_server.port) for seed in service_seeds] + sample
    clearnet = [ClearnetStandIn("t.me", stand_in), ClearnetStandIn("telegram.me", stand_in)]
    net = TorNet(tmp_path_factory.mktemp("tornet"), services, clearnet=clearnet)
    try:
        net.start(timeout=180)
        yield net
    finally:
        net.stop()


def tor_client(net: TorNet, username: str) -> httpx.Client:
    """An httpx client whose requests go through the network's client tor with these SOCKS credentials."""
    proxy = net.socks_url.replace("://", f"://{username}:secret@", 1)
    return httpx.Client(proxy=proxy, timeout=30, trust_env=False)
