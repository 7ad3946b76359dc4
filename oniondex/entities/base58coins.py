"""Base58Check addresses of Bitcoin and its relatives, told apart by their version bytes."""

from __future__ import annotations

from oniondex.entities.addresses import Base58Address
from oniondex.entities.codecs import CodecError, base58check_decode

# coin -> {version bytes: (kind, network)}; payload is always a 20-byte hash.
VERSIONS: dict[str, dict[bytes, tuple[str, str]]] = {
    "BTC": {b"\x00": ("p2pkh", "main"), b"\x05": ("p2sh", "main"),
            b"\x6f": ("p2pkh", "test"), b"\xc4": ("p2sh", "test")},
    "LTC": {b"\x30": ("p2pkh", "main"), b"\x32": ("p2sh", "main"), b"\x05": ("p2sh", "main"),
            b"\x6f": ("p2pkh", "test"), b"\x3a": ("p2sh", "test"), b"\xc4": ("p2sh", "test")},
    "DOGE": {b"\x1e": ("p2pkh", "main"), b"\x16": ("p2sh", "main"),
             b"\x71": ("p2pkh", "test"), b"\xc4": ("p2sh", "test")},
    "DASH": {b"\x4c": ("p2pkh", "main"), b"\x10": ("p2sh", "main"),
             b"\x8c": ("p2pkh", "test"), b"\x13": ("p2sh", "test")},
    "ZEC": {b"\x1c\xb8": ("p2pkh", "main"), b"\x1c\xbd": ("p2sh", "main"),
            b"\x1d\x25": ("p2pkh", "test"), b"\x1c\xba": ("p2sh", "test")},
    "TRX": {b"\x41": ("base58check", "main")},
    # Bitcoin Cash's legacy form is Bitcoin's format; CashAddr is in cashaddr.py.
    "BCH": {b"\x00": ("legacy_base58", "main"), b"\x05": ("legacy_base58", "main"),
            b"\x6f": ("legacy_base58", "test"), b"\xc4": ("legacy_base58", "test")},
}  # fmt: skip
# Which coin a mainnet version byte announces when an address is found in the wild. `3…` (0x05) is
# shared by BTC, BCH legacy and old LTC P2SH: we report it as BTC, the overwhelmingly common reading.
WILD_COINS = ("BTC", "LTC", "DOGE", "DASH", "ZEC", "TRX")
WIF_VERSION = b"\x80"


def validate_base58(coin: str, text: str) -> Base58Address | None:
    """The address if `text` is a valid Base58Check address of `coin` (any network), else None."""
    try:
        data = base58check_decode(text)
    except CodecError:
        return None
    for version, (kind, network) in VERSIONS.get(coin, {}).items():
        if data.startswith(version) and len(data) - len(version) == 20:
            return Base58Address(coin, kind, network, text, payload=data[len(version) :])
    return None


def classify_base58(text: str) -> Base58Address | None:
    """The first coin (in WILD_COINS order) whose mainnet format `text` satisfies, else None."""
    for coin in WILD_COINS:
        found = validate_base58(coin, text)
        if found is not None and found.is_mainnet:
            return found
    return None


def is_wif_private_key(text: str) -> bool:
    """A Bitcoin mainnet WIF private key (uncompressed or compressed). Never reported as an address."""
    try:
        data = base58check_decode(text)
    except CodecError:
        return False
    return data[:1] == WIF_VERSION and (len(data) == 33 or (len(data) == 34 and data[-1] == 1))
