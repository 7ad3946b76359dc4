"""Bitcoin Cash CashAddr addresses, with or without the `bitcoincash:` prefix."""

from __future__ import annotations

from oniondex.entities.addresses import CashAddress
from oniondex.entities.codecs import CodecError, cashaddr_decode

NETWORKS = {"bitcoincash": "main", "bchtest": "test", "bchreg": "regtest"}
KINDS = {0: "p2pkh", 1: "p2sh"}


def validate_cashaddr(text: str) -> CashAddress | None:
    try:
        prefix, kind, digest = cashaddr_decode(text)
    except CodecError:
        return None
    if kind not in KINDS:
        return None
    network = NETWORKS.get(prefix, "custom-prefix")
    payload = text.lower().rpartition(":")[2]
    return CashAddress("BCH", "cashaddr", network, payload, prefix=prefix, hash=digest)
