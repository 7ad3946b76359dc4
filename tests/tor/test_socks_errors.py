"""Tor's extended SOCKS5 errors (SocksPort … ExtendedErrors), the codes site liveness is read from."""

from __future__ import annotations

import pytest

from oniondex.tornet import TorNet, socks

pytestmark = pytest.mark.tor


def test_published_onion_connects(tornet: TorNet) -> None:
    assert socks.socks5_connect_reply(tornet.socks_port, tornet.onion_names[1], 80) == socks.SUCCEEDED


def test_unpublished_valid_onion_is_descriptor_not_found(tornet: TorNet, unpublished_onion: str) -> None:
    assert socks.socks5_connect_reply(tornet.socks_port, unpublished_onion, 80) == socks.ONION_DESC_NOT_FOUND


def test_malformed_onion_is_bad_address(tornet: TorNet) -> None:
    assert socks.socks5_connect_reply(tornet.socks_port, "a" * 56 + ".onion", 80) == socks.ONION_BAD_ADDRESS
