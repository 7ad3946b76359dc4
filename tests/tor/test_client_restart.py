"""Killing the client tor mid-crawl refuses connections; starting it again makes onions reachable again."""

from __future__ import annotations

import signal

import httpx
import pytest

from oniondex.tornet import TorNet
from oniondex.tornet.socks import socks5_connect_reply
from tests.tor.conftest import tor_client

pytestmark = pytest.mark.tor


def test_killed_client_refuses_then_restarted_client_serves(tornet: TorNet) -> None:
    site = tornet.onion_names[0]
    with tor_client(tornet, "before") as client:
        assert client.get(f"http://{site}/").status_code == 200
    pids_before = set(tornet.pids)

    tornet.stop_client(signal.SIGKILL)
    with pytest.raises(ConnectionRefusedError):
        socks5_connect_reply(tornet.socks_port, site, 80)
    with tor_client(tornet, "during") as client, pytest.raises(httpx.ConnectError):
        client.get(f"http://{site}/")

    tornet.start_client(timeout=60)
    assert set(tornet.pids) - pids_before, "the client runs under a new process id"
    with tor_client(tornet, "after") as client:
        assert client.get(f"http://{site}/").text.startswith(f"hello {site}")
    with tornet.controller() as control:
        assert "PROGRESS=100" in control.get_info("status/bootstrap-phase")["status/bootstrap-phase"]
