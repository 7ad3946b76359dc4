"""One entry point to validate a string as an address of a named coin (or a Tor onion)."""

from __future__ import annotations

from oniondex.entities.addresses import CoinAddress
from oniondex.entities.base58coins import validate_base58
from oniondex.entities.cashaddr import validate_cashaddr
from oniondex.entities.ethereum import validate_eth
from oniondex.entities.monero import validate_monero
from oniondex.entities.segwit import validate_segwit
from oniondex.onion import is_valid_onion

COINS = ("BTC", "ETH", "XMR", "LTC", "BCH", "DOGE", "TRX", "ZEC", "DASH")


def validate_address(coin: str, text: str, strict: bool = False) -> CoinAddress | None:
    """The parsed address if `text` is valid for `coin` on any of its networks, else None.

    `strict` applies only to ETH (EIP-55 checksum required even for caseless addresses).
    """
    if coin == "ETH":
        return validate_eth(text, strict=strict)
    if coin == "XMR":
        return validate_monero(text)
    found = validate_base58(coin, text)
    if found is None and coin in ("BTC", "LTC"):
        return validate_segwit(coin, text)
    if found is None and coin == "BCH":
        return validate_cashaddr(text)
    return found


def is_valid(coin: str, text: str, strict: bool = False) -> bool:
    if coin == "TOR":
        return is_valid_onion(text)
    return validate_address(coin, text, strict=strict) is not None
