"""The network's shape before anything runs: nodes, ports, identities, the bandwidth file."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oniondex.tornet.identities import make_authority_v3ident, make_relay_fingerprint
from oniondex.tornet.torrc import AuthorityId, NodeSpec, bandwidth_file_text

if TYPE_CHECKING:
    from pathlib import Path

    from oniondex.tornet.ports import PortAllocator

N_AUTHORITIES = 3
# Authorities ignore measured bandwidth for authorities ("MeasuredButAuthority"): they get a
# weight only once they report traffic, about 20 s (one voting round) later than the relays.
# Three plain relays are enough for any 3-hop circuit, so readiness need not wait for that.
N_RELAYS = 3


@dataclass(frozen=True)
class Backbone:
    """Authorities and relays with their identities, ready to be started."""

    authorities: list[AuthorityId]
    relays: list[NodeSpec]
    fingerprints: dict[str, str]  # nickname -> RSA fingerprint, authorities included
    bandwidth_file: Path

    @property
    def relay_fingerprints(self) -> set[str]:
        return {self.fingerprints[relay.nickname] for relay in self.relays}


def plan_backbone(root: Path, ports: PortAllocator) -> Backbone:
    auth_nodes = [NodeSpec(f"auth{i}", root / f"auth{i}", ports.take(), ports.take()) for i in range(N_AUTHORITIES)]
    relays = [NodeSpec(f"relay{i}", root / f"relay{i}", ports.take()) for i in range(N_RELAYS)]
    with ThreadPoolExecutor(max_workers=len(auth_nodes) + len(relays)) as pool:
        v3idents = list(pool.map(make_authority_v3ident, auth_nodes))
        fingerprints = list(pool.map(make_relay_fingerprint, auth_nodes + relays))
    authorities = [
        AuthorityId(node, v3ident, fp) for node, v3ident, fp in zip(auth_nodes, v3idents, fingerprints, strict=False)
    ]
    bandwidth_file = root / "bandwidth"
    bandwidth_file.write_text(bandwidth_file_text(fingerprints, int(time.time())))
    by_name = {node.nickname: fp for node, fp in zip(auth_nodes + relays, fingerprints, strict=True)}
    return Backbone(authorities, relays, by_name, bandwidth_file)


def spread(items: list[int], per_group: int) -> list[list[int]]:
    """Split indexes into the fewest groups of at most `per_group`, sizes differing by at most one."""
    if not items:
        return []
    n_groups = -(-len(items) // per_group)
    return [items[i::n_groups] for i in range(n_groups)]
