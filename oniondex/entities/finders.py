"""Finders for crypto addresses and onion names: a linear-time regex proposes, a validator decides.

Every pattern is a bounded run of one character class between non-alphanumeric boundaries (no nested
quantifiers), so each is linear in the text. Candidates that fail their checksum are dropped, never
reported, and only mainnet addresses count as found in the wild.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from oniondex.entities.base58coins import classify_base58
from oniondex.entities.cashaddr import validate_cashaddr
from oniondex.entities.ethereum import validate_eth
from oniondex.entities.monero import validate_monero
from oniondex.entities.scan import runs_between
from oniondex.entities.segwit import validate_segwit
from oniondex.onion import OnionAddressError, normalise_onion

if TYPE_CHECKING:
    from collections.abc import Iterator

    from oniondex.entities.addresses import CoinAddress

_B58 = "1-9A-HJ-NP-Za-km-z"
_BECH = "02-9ac-hj-np-zAC-HJ-NP-Z"
_NB = r"(?<![0-9A-Za-z])"  # not preceded by an alphanumeric
_NA = r"(?![0-9A-Za-z])"  # not followed by one
BASE58_RE = re.compile(rf"{_NB}[13LMDA9XT7t][{_B58}]{{24,34}}{_NA}")
_SEGWIT_HRPS = ("bc", "BC", "ltc", "LTC")
SEGWIT_RE = re.compile(rf"{_NB}(?:{'|'.join(_SEGWIT_HRPS)})1[{_BECH}]{{6,87}}{_NA}")
_SEGWIT_OPENS = tuple(hrp + "1" for hrp in _SEGWIT_HRPS)
CASHADDR_RE = re.compile(
    rf"(?<![0-9A-Za-z:])(?:bitcoincash:|BITCOINCASH:)?[qpQP](?:[{_BECH}]{{60}}|[{_BECH}]{{41}}){_NA}"
)
MONERO_RE = re.compile(rf"{_NB}[48][{_B58}]{{94}}(?:[{_B58}]{{11}})?{_NA}")
ETH_RE = re.compile(rf"{_NB}0x[0-9a-fA-F]{{40}}{_NA}")
ONION_RE = re.compile(rf"{_NB}[a-zA-Z2-7]{{56}}\.(?:onion|ONION){_NA}")
# Hex that only looks like an ETH address: a PGP fingerprint or key id written with 0x.
_NOT_ETH_CUE_RE = re.compile(r"fingerprint|fpr|pgp|gpg|key ?id|sha-?1|지문", re.IGNORECASE)
_CUE_WINDOW = 48


@dataclass(frozen=True)
class Found:
    type: str
    value: str
    start: int
    end: int
    extra: dict[str, Any] = field(default_factory=dict)


def _coin(found: CoinAddress | None, match: re.Match[str]) -> Iterator[Found]:
    if found is not None and found.is_mainnet:
        yield Found(found.coin, found.value, match.start(), match.end(), {"kind": found.kind})


def _runs(
    pattern: re.Pattern[str], text: str, shortest: int, longest: int, tail: int = 0, opens: tuple[str, ...] = ()
) -> Iterator[re.Match[str]]:
    """Matches of a pattern that spans one letter/digit run (plus `tail` characters after it, for
    `.onion`); the run's neighbours are not letters or digits, so the pattern's boundaries hold there.
    `opens`: the pattern's possible first characters, tested before it (when most runs cannot match)."""
    for start, end in runs_between(text, shortest, longest):
        if opens and not text.startswith(opens, start):
            continue
        match = pattern.match(text, start, min(len(text), end + tail))
        if match is not None:
            yield match


def find_base58(text: str) -> Iterator[Found]:
    for match in _runs(BASE58_RE, text, 25, 35):
        yield from _coin(classify_base58(match.group()), match)


def find_segwit(text: str) -> Iterator[Found]:
    # Shorter bech32 cannot hold a witness program. Runs of every length qualify, so their opening is
    # tested before the regex.
    for match in _runs(SEGWIT_RE, text, 14, 91, opens=_SEGWIT_OPENS):
        coin = "LTC" if match.group()[:3].lower() == "ltc" else "BTC"
        yield from _coin(validate_segwit(coin, match.group()), match)


def find_cashaddr(text: str) -> Iterator[Found]:
    for start, end in runs_between(text, 42, 61):
        # The optional "bitcoincash:" prefix is its own run, right before this one.
        match = CASHADDR_RE.search(text, max(0, start - len("bitcoincash:")), end)
        if match is not None and match.end() == end:
            yield from _coin(validate_cashaddr(match.group()), match)


def find_monero(text: str) -> Iterator[Found]:
    for match in _runs(MONERO_RE, text, 95, 106):
        yield from _coin(validate_monero(match.group()), match)


def find_eth(text: str) -> Iterator[Found]:
    for match in _runs(ETH_RE, text, 42, 42):
        found = validate_eth(match.group())
        if found is None:
            continue
        line_start = max(text.rfind("\n", 0, match.start()) + 1, match.start() - _CUE_WINDOW)
        if not found.checksummed and _NOT_ETH_CUE_RE.search(text, line_start, match.start()):
            continue  # an unchecksummed 40-hex right after "fingerprint"/"PGP" is a key, not a wallet
        yield Found("ETH", found.value, match.start(), match.end(),
                    {"kind": "eip55" if found.checksummed else "unchecksummed"})  # fmt: skip


def find_onions(text: str) -> Iterator[Found]:
    for match in _runs(ONION_RE, text, 56, 56, tail=len(".onion") + 1):
        try:
            value = normalise_onion(match.group())
        except OnionAddressError:
            continue
        yield Found("onion", value, match.start(), match.end())


COIN_FINDERS = (find_base58, find_segwit, find_cashaddr, find_monero, find_eth, find_onions)
