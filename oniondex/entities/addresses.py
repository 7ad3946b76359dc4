"""Value types for validated crypto addresses: one class per encoding family.

`value` is the normalised form an investigator searches for (see each class); `network` is the chain
the address belongs to ("main", "test", "regtest"; Monero: "mainnet", "testnet", "stagenet").
"""

from __future__ import annotations

from dataclasses import dataclass

MAINNETS = frozenset({"main", "mainnet"})


@dataclass(frozen=True)
class CoinAddress:
    coin: str
    kind: str
    network: str
    value: str

    @property
    def is_mainnet(self) -> bool:
        return self.network in MAINNETS


@dataclass(frozen=True)
class Base58Address(CoinAddress):
    """Base58Check (BTC/LTC/DOGE/DASH/ZEC/TRX legacy forms); value is the string as written."""

    payload: bytes = b""


@dataclass(frozen=True)
class SegwitAddress(CoinAddress):
    """bech32 (v0) / bech32m (v1+) segwit address; value is lowercase."""

    witver: int = 0
    program: bytes = b""


@dataclass(frozen=True)
class CashAddress(CoinAddress):
    """Bitcoin Cash CashAddr; value is the lowercase payload without `prefix:`."""

    prefix: str = "bitcoincash"
    hash: bytes = b""


@dataclass(frozen=True)
class MoneroAddress(CoinAddress):
    """Monero standard / subaddress / integrated address; value is the string as written."""

    payment_id: bytes = b""


@dataclass(frozen=True)
class EthAddress(CoinAddress):
    """Ethereum address; value is lowercase `0x…`; `checksummed` says whether EIP-55 case was present."""

    checksummed: bool = False
