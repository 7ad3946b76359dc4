"""Strings that only look like entities must not be reported."""

from __future__ import annotations

import pytest

from oniondex.entities import extract_entities
from oniondex.onion import onion_from_pubkey

TX_HASH = "0x" + "9fc76417e2d8c4ab6e34d8b6a7c4e4d1c5c09e6e5d2f1a8b4c3d2e1f0a9b8c7d"


@pytest.mark.parametrize(
    "text",
    [
        f"tx {TX_HASH}",  # 32-byte transaction hash
        "txid: 9fc76417e2d8c4ab6e34d8b6a7c4e4d1c5c09e6e5d2f1a8b4c3d2e1f0a9b8c7d",
        "Fingerprint: 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",  # unchecksummed 40-hex after a key cue
        "PGP fingerprint 5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED",  # 40-hex without 0x
        "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",  # mixed case that fails EIP-55
        "1FsSia9rv4NeEwvJ2HvXrX7LyxYspbN2mo",  # base58 with a broken checksum
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",  # bech32 with a broken checksum
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",  # v1 in bech32
        "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",  # testnet is not reported in the wild
        "mzK2FFDEhxqHcmrJw1ysqFkVyhUULo45hZ",  # testnet P2PKH
        "expyuzz4wqqyqhjn.onion",  # retired v2 name
        "duckduckgogg42xjoc72x3sjasowoasfbgcmvfimaftt6twagswzczad.onion",  # checksum fails
        "5JuW2AMDYu4xVwRG9DZW18VbzQrGcd5RCgb99sS6ehJsNQXu5b9",  # WIF private key, not an address
        "logo@2x.png and sprite@3x.jpg",
        "order 20240115-0099 on 2024-01-15, 0.00123456 BTC, total 1,250,000",
        "sha256: 4ADT1BtbxqEWeMKp9GgPr2NeyJXXtNxvoDawpyA4WpzFcGcoHUvXeijE66DNfohE9r1bQYaBiQjEtKE7CtkTdLwiDznFzrb",
    ],
)
def test_lookalike_is_not_reported(page_factory, text: str) -> None:
    assert extract_entities(page_factory(f"<p>{text}</p>")) == []


def test_fingerprint_written_as_0x_elsewhere_on_a_key_page_is_not_eth(page_factory, pgp_key) -> None:
    fingerprint = pgp_key["fingerprint"]
    html = f"<pre>{pgp_key['armored']}</pre><p>Verify: 0x{fingerprint}</p>"
    types = {e.type for e in extract_entities(page_factory(html))}
    assert types == {"pgp"}


def test_address_inside_a_longer_token_is_not_reported(page_factory) -> None:
    onion = onion_from_pubkey(bytes(32))
    html = f"<p>x1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 and a{onion}</p>"
    assert extract_entities(page_factory(html)) == []
