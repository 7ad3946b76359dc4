"""Cross-site vendor links against the sample darknet's truth: every true strong link found, no false one.

Vendor views are extracted from every served page's bytes (entities, listings, vendor records), then
correlated. A strong link is scored as the pairs of (site, name) views it joins across sites: recall =
true pairs found / true pairs, false = predicted strong pairs the truth does not join. Each truth link's
own evidence (the PGP fingerprint or payout address) must also be found joining the same views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from oniondex.entities import extract_entities
from oniondex.listings.extract import listing_records
from oniondex.quality.listings import served_pages
from oniondex.vendors.correlate import Correlation, VendorView, correlate
from oniondex.vendors.records import vendor_records

if TYPE_CHECKING:
    from oniondex.listings.profiles import Profile
    from sample_darknet.world import World

Pair = tuple[tuple[str, str], tuple[str, str]]


@dataclass
class LinkQuality:
    true_pairs: set[Pair] = field(default_factory=set)
    found_pairs: set[Pair] = field(default_factory=set)
    evidence_missing: list[dict[str, Any]] = field(default_factory=list)
    weak_found: int = 0
    weak_truth: int = 0
    views: int = 0

    @property
    def missed(self) -> set[Pair]:
        return self.true_pairs - self.found_pairs

    @property
    def false(self) -> set[Pair]:
        return self.found_pairs - self.true_pairs

    @property
    def passes(self) -> bool:
        return not self.missed and not self.false and not self.evidence_missing

    def as_dict(self) -> dict[str, Any]:
        return {
            "vendor_views": self.views,
            "strong_pairs_true": len(self.true_pairs),
            "strong_pairs_found": len(self.true_pairs & self.found_pairs),
            "strong_pairs_false": len(self.false),
            "truth_links_without_their_evidence": len(self.evidence_missing),
            "weak_links_true": self.weak_truth,
            "weak_links_found": self.weak_found,
            "passes": self.passes,
        }


def world_views(world: World, profiles: list[Profile] | None = None) -> list[VendorView]:
    views = []
    for site in world.sites.values():
        if not site.served:
            continue
        for _spec, page in served_pages(site):
            seen = "1970-01-01T00:00:00Z"
            listings = listing_records(page, seen, profiles)
            for vendor in vendor_records(page, extract_entities(page, seen), listings, seen, profiles):
                views.append(VendorView.from_record(vendor))
    return views


def measure_links(world: World, profiles: list[Profile] | None = None) -> tuple[LinkQuality, Correlation]:
    truth = world.truth()["vendor_links"]
    found = correlate(world_views(world, profiles))
    quality = LinkQuality(views=len(found.views))
    for link in truth:
        members = {(m["host"], m["name"]) for m in link["members"]}
        if link["strength"] == "strong":
            quality.true_pairs |= _pairs(members)
            if not any(x.value == link["value"] and set(x.members) == members for x in found.links):
                quality.evidence_missing.append({"evidence": link["evidence"], "value": link["value"]})
        else:
            quality.weak_truth += 1
            quality.weak_found += any(x.strength == "weak" and _spans(x.members, link, found) for x in found.links)
    for link in found.links:
        if link.strength == "strong":
            quality.found_pairs |= _pairs(set(link.members))
    return quality, found


def _pairs(members: set[tuple[str, str]]) -> set[Pair]:
    return {(a, b) for a, b in combinations(sorted(members), 2) if a[0] != b[0]}


def _spans(members: tuple[tuple[str, str], ...], link: dict[str, Any], found: Correlation) -> bool:
    """A weak link found joins at least one view of each truth vendor it names."""
    truth_members = {(m["host"], m["name"]) for m in link["members"]}
    return len({name for _, name in set(members) & truth_members}) >= 2
