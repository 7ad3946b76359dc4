"""What every site builder gets: the seed, the vendors, every site shell, and a seeded RNG per site."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sample_darknet.addresses import Address, make_address
from sample_darknet.identities import VendorIdentity
from sample_darknet.keys import stray_onion
from sample_darknet.model import Site


@dataclass
class BuildContext:
    seed: int
    people: dict[str, VendorIdentity]
    sites: dict[str, Site]  # by site_id, all shells made before any page is written

    def rng(self, site: Site, purpose: str = "") -> random.Random:
        return random.Random(f"{self.seed}:{site.site_id}:{purpose}")

    def address(self, site: Site, kind: str, purpose: str = "") -> Address:
        return make_address(self.rng(site, f"addr:{kind}:{purpose}"), kind)

    def onion_of(self, site_id: str) -> str:
        return self.sites[site_id].onion

    def stray(self, label: str) -> str:
        return stray_onion(self.seed, label)

    def of_kind(self, *kinds: str) -> list[Site]:
        """Served sites of these kinds (dead ones are left out: nobody posts a working link to them)."""
        return [s for s in self.sites.values() if s.kind in kinds and s.served]
