"""Monero addresses: network byte + spend key + view key (+ 8-byte payment id), Keccak-256 checksum."""

from __future__ import annotations

from oniondex.entities.addresses import MoneroAddress
from oniondex.entities.codecs import CodecError, monero_decode

# network byte -> (kind, network), from cryptonote_config.h.
NETWORK_BYTES: dict[int, tuple[str, str]] = {
    18: ("standard", "mainnet"), 42: ("subaddress", "mainnet"), 19: ("integrated", "mainnet"),
    53: ("standard", "testnet"), 63: ("subaddress", "testnet"), 54: ("integrated", "testnet"),
    24: ("standard", "stagenet"), 36: ("subaddress", "stagenet"), 25: ("integrated", "stagenet"),
}  # fmt: skip
_KEYS_LEN = 1 + 32 + 32
_PAYMENT_ID_LEN = 8


def validate_monero(text: str) -> MoneroAddress | None:
    try:
        data = monero_decode(text)
    except CodecError:
        return None
    kind_network = NETWORK_BYTES.get(data[0]) if data else None
    if kind_network is None:
        return None
    kind, network = kind_network
    expected = _KEYS_LEN + (_PAYMENT_ID_LEN if kind == "integrated" else 0)
    if len(data) != expected:
        return None
    return MoneroAddress("XMR", kind, network, text, payment_id=data[_KEYS_LEN:])
