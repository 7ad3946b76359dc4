"""Cluster quality against the sample darknet's truth: pairwise precision and recall over sites, and
clone flags (every clone flagged with its swapped identifiers, no true mirror flagged).

Every served page goes through `extract_page` and into a fresh cluster store, as a crawl feeds it. All
pages get one fetch time, so the choice of original rests on the identifiers, not on crawl order. The
hostile and trap sites are left out: thousands of generated pages (a link flood, an endless calendar) that
no other site shares, which would only slow the measurement down tenfold.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oniondex.clusters.store import ClusterStore
from oniondex.extraction import extract_page
from oniondex.quality.counts import Counts
from oniondex.quality.entities import world_pages

if TYPE_CHECKING:
    from oniondex.clusters.model import Cluster
    from sample_darknet.world import World

SEEN_AT = "2026-11-21T00:00:00Z"
TARGET = 0.95
SKIPPED_KINDS = ("hostile", "trap")


@dataclass
class ClusterQuality:
    sites: int = 0
    pairs: Counts = field(default_factory=Counts)
    clones: Counts = field(default_factory=Counts)
    mirrors_flagged: list[str] = field(default_factory=list)  # site_ids of true mirrors flagged as clones
    evidence_missing: list[str] = field(default_factory=list)  # "site_id: kind value" not in the flag's evidence
    wrong_original: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)

    @property
    def passes(self) -> bool:
        return (
            self.pairs.precision >= TARGET
            and self.pairs.recall >= TARGET
            and self.clones.fn == 0
            and not self.mirrors_flagged
            and not self.evidence_missing
            and not self.wrong_original
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "sites": self.sites,
            "clusters_found": len(self.clusters),
            "pairs": self.pairs.as_dict(),
            "clones": self.clones.as_dict(),
            "mirrors_flagged": self.mirrors_flagged,
            "evidence_missing": self.evidence_missing,
            "wrong_original": self.wrong_original,
            "passes": self.passes,
        }


def measure(world: World, store_path: Path | None = None) -> ClusterQuality:
    if store_path is None:
        with tempfile.TemporaryDirectory(prefix="oniondex-clusters-") as tmp:
            return measure(world, Path(tmp) / "clusters.db")
    store = ClusterStore(store_path)
    try:
        hosts: set[str] = set()
        for site, _spec, page in world_pages(world):
            if site.kind in SKIPPED_KINDS:
                continue
            store.add_page(page.url, site.onion, SEEN_AT, extract_page(page, SEEN_AT))
            hosts.add(site.onion)
        store.commit()
        return score(world, store.clusters(), hosts)
    finally:
        store.close()


def score(world: World, clusters: list[Cluster], hosts: set[str]) -> ClusterQuality:
    truth = {host: world.sites[host].truth() for host in hosts}
    name = {host: world.sites[host].site_id for host in hosts}
    found_label = {host: cluster.id for cluster in clusters for host in cluster.sites}
    quality = ClusterQuality(sites=len(hosts), clusters=clusters)
    for a, b in combinations(sorted(hosts), 2):
        same_truth = truth[a]["cluster"] == truth[b]["cluster"]
        same_found = a in found_label and found_label.get(a) == found_label.get(b)
        if same_truth and same_found:
            quality.pairs.tp += 1
        elif same_found:
            quality.pairs.fp += 1
            quality.errors.append(f"clustered together, truth apart: {name[a]} {name[b]}")
        elif same_truth:
            quality.pairs.fn += 1
            quality.errors.append(f"truth together, not clustered: {name[a]} {name[b]}")
    flags = {flag.site: flag for cluster in clusters for flag in cluster.clones}
    for host in sorted(hosts):
        clone, flag = truth[host].get("clone"), flags.get(host)
        if clone and flag:
            quality.clones.tp += 1
            shown = flag.swapped_values()
            for swap in clone["swapped"]:
                if _truth_value(swap) not in shown:
                    quality.evidence_missing.append(f"{name[host]}: {swap['kind']} {swap['clone']}")
            # The original or one of its true mirrors (identical identifiers, seen at the same time here).
            of = truth.get(flag.original, {})
            if of.get("cluster") != truth[host]["cluster"] or "clone" in of:
                quality.wrong_original.append(f"{name[host]}: original {name.get(flag.original, flag.original)}")
        elif clone:
            quality.clones.fn += 1
            quality.errors.append(f"clone not flagged: {name[host]}")
        elif flag:
            quality.clones.fp += 1
            quality.mirrors_flagged.append(name[host])
    return quality


def _truth_value(swap: dict[str, str]) -> str:
    if swap["kind"] == "pgp":
        return swap["clone"].upper()
    if swap["kind"] == "payout":
        return swap["clone"]
    return f"{swap['kind']}:{swap['clone'].lower()}"
