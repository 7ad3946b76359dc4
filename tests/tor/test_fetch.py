"""Real HTTP fetches of onion services through the private network's client tor."""

from __future__ import annotations

import pytest

from oniondex.tornet import TorNet
from tests.tor.conftest import N_SERVICES, HelloServer, tor_client

pytestmark = pytest.mark.tor


def test_every_service_serves_over_tor(tornet: TorNet, hello_server: HelloServer) -> None:
    with tor_client(tornet, "fetch") as client:
        for name in tornet.onion_names[:N_SERVICES]:
            response = client.get(f"http://{name}/page?x=1")
            assert response.status_code == 200
            assert response.text == f"hello {name} /page?x=1"
    assert set(tornet.onion_names[:N_SERVICES]) <= set(hello_server.hosts)


def test_socks_url_is_loopback_socks5h(tornet: TorNet) -> None:
    assert tornet.socks_url == f"socks5h://127.0.0.1:{tornet.socks_port}"
