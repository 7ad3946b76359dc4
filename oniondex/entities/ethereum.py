"""Ethereum (and EVM) addresses with the EIP-55 mixed-case checksum.

Policy: a mixed-case address must pass EIP-55; an all-lowercase or all-uppercase hex body carries no
checksum and is accepted as *unchecksummed* (`strict=False`, what extraction uses) — most wallets and
explorers print such addresses. `strict=True` is the EIP-55 check itself.
"""

from __future__ import annotations

import re

from oniondex.entities.addresses import EthAddress
from oniondex.entities.codecs import eip55

_ETH_RE = re.compile(r"0x[0-9a-fA-F]{40}")


def validate_eth(text: str, strict: bool = False) -> EthAddress | None:
    if not _ETH_RE.fullmatch(text):
        return None
    body = text[2:]
    checksummed = eip55(bytes.fromhex(body)) == text
    caseless = body.lower() == body or body.upper() == body
    if checksummed or (caseless and not strict):
        return EthAddress("ETH", "eip55", "main", "0x" + body.lower(), checksummed=checksummed)
    return None
