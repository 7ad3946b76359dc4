"""Segwit addresses (BIP-173 bech32 for v0, BIP-350 bech32m for v1+) for Bitcoin and Litecoin."""

from __future__ import annotations

from oniondex.entities.addresses import SegwitAddress
from oniondex.entities.codecs import CodecError, segwit_decode

HRPS: dict[str, dict[str, str]] = {
    "BTC": {"bc": "main", "tb": "test", "bcrt": "regtest"},
    "LTC": {"ltc": "main", "tltc": "test", "rltc": "regtest"},
}


def validate_segwit(coin: str, text: str) -> SegwitAddress | None:
    hrp = text.lower().rpartition("1")[0]
    network = HRPS.get(coin, {}).get(hrp)
    if network is None:
        return None
    try:
        witver, program = segwit_decode(hrp, text)
    except CodecError:
        return None
    return SegwitAddress(coin, "segwit", network, text.lower(), witver=witver, program=program)
