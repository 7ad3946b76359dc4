"""Crypto addresses made by encoding seeded random payloads with oniondex's own codecs.

This is the single place where address generation plugs into `oniondex.entities.codecs`; the sample
darknet carries no codec of its own, so a codec bug shows up as a failing truth test, not twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from types import ModuleType

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

# Every address kind the world shows, with the entity type it counts as.
KINDS: dict[str, str] = {
    "btc_p2pkh": "BTC",
    "btc_p2sh": "BTC",
    "btc_p2wpkh": "BTC",
    "btc_p2tr": "BTC",
    "eth_eip55": "ETH",
    "eth_lower": "ETH",
    "xmr_standard": "XMR",
    "xmr_subaddress": "XMR",
    "xmr_integrated": "XMR",
    "ltc_p2pkh": "LTC",
    "ltc_bech32": "LTC",
    "bch_cashaddr": "BCH",
    "bch_prefixed": "BCH",
    "doge": "DOGE",
    "trx": "TRX",
    "zec_t": "ZEC",
    "dash": "DASH",
}
# Base58Check version bytes (each coin's chainparams).
_B58_VERSIONS = {
    "btc_p2pkh": b"\x00",
    "btc_p2sh": b"\x05",
    "ltc_p2pkh": b"\x30",
    "doge": b"\x1e",
    "dash": b"\x4c",
    "trx": b"\x41",
    "zec_t": b"\x1c\xb8",
}
_XMR_NET = {"xmr_standard": b"\x12", "xmr_integrated": b"\x13", "xmr_subaddress": b"\x2a"}


@dataclass(frozen=True)
class Address:
    kind: str
    shown: str  # as written on the page
    value: str  # truth normalisation

    @property
    def type(self) -> str:
        return KINDS[self.kind]


class CodecsMissing(RuntimeError):
    """oniondex.entities.codecs is not there yet; the world cannot show valid addresses without it."""


def _codecs() -> ModuleType:
    try:
        from oniondex.entities import codecs
    except ImportError as exc:
        raise CodecsMissing(
            "sample_darknet needs oniondex/entities/codecs.py (base58check_encode, segwit_encode, "
            "cashaddr_encode, monero_encode, eip55) to generate addresses"
        ) from exc
    return codecs


def _curve_point(rng: random.Random) -> bytes:
    # Monero keys are ed25519 points; a real public key is one, random bytes mostly are not.
    key = Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def make_address(rng: random.Random, kind: str) -> Address:
    codecs = _codecs()
    if kind in _B58_VERSIONS:
        # TRX payloads are 0x41 + 20 bytes; the 0x41 is the version byte here.
        shown = codecs.base58check_encode(_B58_VERSIONS[kind], rng.randbytes(20))
        return Address(kind, shown, shown)
    if kind in ("btc_p2wpkh", "btc_p2tr", "ltc_bech32"):
        hrp = "ltc" if kind == "ltc_bech32" else "bc"
        witver, size = (1, 32) if kind == "btc_p2tr" else (0, 20)
        shown = codecs.segwit_encode(hrp, witver, rng.randbytes(size))
        return Address(kind, shown, shown.lower())
    if kind in _XMR_NET:
        payment_id = rng.randbytes(8) if kind == "xmr_integrated" else b""
        shown = codecs.monero_encode(_XMR_NET[kind], _curve_point(rng), _curve_point(rng), payment_id)
        return Address(kind, shown, shown)
    if kind in ("bch_cashaddr", "bch_prefixed"):
        bare = codecs.cashaddr_encode("bitcoincash", 0, rng.randbytes(20)).lower()
        shown = "bitcoincash:" + bare if kind == "bch_prefixed" else bare
        return Address(kind, shown, bare)
    if kind in ("eth_eip55", "eth_lower"):
        raw = rng.randbytes(20)
        shown = codecs.eip55(raw) if kind == "eth_eip55" else "0x" + raw.hex()
        return Address(kind, shown, shown.lower())
    raise ValueError(f"unknown address kind {kind!r}; known: {', '.join(KINDS)}")


def broken_checksum(address: Address) -> str:
    """A base58 look-alike: one character changed, so the checksum no longer matches."""
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    index = len(address.shown) - 3
    old = address.shown[index]
    new = alphabet[(alphabet.index(old) + 7) % len(alphabet)]
    return address.shown[:index] + new + address.shown[index + 1 :]
