"""One vendor across many sites.

Views (one per site and normalised name) are linked **strong** when they share a PGP fingerprint, a
payout address or a contact handle, and **weak** when they share only a normalised name. Strong links
join views into identities (union-find); a weak link joins two identities that no strong evidence
joins, and is reported as weak, never merged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oniondex.vendors.names import normalise_name

if TYPE_CHECKING:
    from oniondex.vendors.records import VendorRecord

STRONG_EVIDENCE = ("pgp", "payout", "contact")


@dataclass(frozen=True)
class VendorView:
    site: str
    name: str
    url: str = ""
    pgp: tuple[str, ...] = ()
    contacts: tuple[tuple[str, str], ...] = ()
    payout: tuple[tuple[str, str], ...] = ()
    listing_count: int = 0
    first_seen: str = ""
    last_seen: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.site, normalise_name(self.name)

    def evidence(self) -> list[tuple[str, str]]:
        """(kind, value) pairs that make a strong link when another site shows the same."""
        out = [("pgp", fp.upper()) for fp in self.pgp]
        out += [("payout", value) for _, value in self.payout]
        return out + [("contact", f"{kind}:{value.lower()}") for kind, value in self.contacts]

    @classmethod
    def from_record(cls, record: VendorRecord) -> VendorView:
        return cls(
            site=record.site,
            name=record.name,
            url=record.url,
            pgp=record.pgp,
            contacts=tuple((c.type, c.value) for c in record.contacts),
            payout=tuple((p.type, p.value) for p in record.payout),
            listing_count=record.listing_count,
            first_seen=record.first_seen,
            last_seen=record.last_seen,
        )


@dataclass(frozen=True)
class Link:
    strength: str  # strong | weak
    evidence: str  # pgp | payout | contact | similar_name
    value: str
    members: tuple[tuple[str, str], ...]  # (site, name) of each view sharing `value`


@dataclass
class Correlation:
    views: list[VendorView]
    links: list[Link]
    identities: list[list[VendorView]] = field(default_factory=list)

    def identity_of(self, view: VendorView) -> list[VendorView]:
        return next(group for group in self.identities if view in group)

    def links_of(self, group: list[VendorView]) -> list[Link]:
        members = {(v.site, v.name) for v in group}
        return [link for link in self.links if members & set(link.members)]


def merge_views(views: list[VendorView]) -> list[VendorView]:
    """One view per (site, normalised name), evidence unioned, first/last seen widened."""
    merged: dict[tuple[str, str], VendorView] = {}
    for view in views:
        old = merged.get(view.key)
        merged[view.key] = view if old is None else _union(old, view)
    return list(merged.values())


def correlate(views: list[VendorView]) -> Correlation:
    views = merge_views(views)
    strong = _strong_links(views)
    identities = _identities(views, strong)
    return Correlation(views, strong + _weak_links(identities), identities)


def _strong_links(views: list[VendorView]) -> list[Link]:
    holders: dict[tuple[str, str], list[VendorView]] = defaultdict(list)
    for view in views:
        for evidence in dict.fromkeys(view.evidence()):
            holders[evidence].append(view)
    return [
        Link("strong", kind, value, tuple(sorted((v.site, v.name) for v in members)))
        for (kind, value), members in sorted(holders.items())
        if len({v.site for v in members}) >= 2  # a link joins sites, not two pages of one site
    ]


def _identities(views: list[VendorView], strong: list[Link]) -> list[list[VendorView]]:
    parent = {(v.site, v.name): (v.site, v.name) for v in views}

    def root(key: tuple[str, str]) -> tuple[str, str]:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for link in strong:
        first = root(link.members[0])
        for member in link.members[1:]:
            parent[root(member)] = first
    groups: dict[tuple[str, str], list[VendorView]] = defaultdict(list)
    for view in views:
        groups[root((view.site, view.name))].append(view)
    return sorted(groups.values(), key=lambda g: sorted((v.name, v.site) for v in g))


def _weak_links(identities: list[list[VendorView]]) -> list[Link]:
    by_name: dict[str, list[int]] = defaultdict(list)
    for index, group in enumerate(identities):
        for name in sorted({normalise_name(v.name) for v in group}):
            by_name[name].append(index)
    links = []
    for name, indexes in sorted(by_name.items()):
        members = [v for i in indexes for v in identities[i]]
        if len(indexes) >= 2 and len({v.site for v in members}) >= 2 and name:
            shown = sorted((v.site, v.name) for v in members if normalise_name(v.name) == name)
            links.append(Link("weak", "similar_name", name, tuple(shown)))
    return links


def find_vendor(correlation: Correlation, query: str) -> list[list[VendorView]]:
    """Identities with a view named like `query`, or holding a PGP key whose fingerprint ends with it."""
    wanted = normalise_name(query)
    hexed = query.replace(" ", "").upper().removeprefix("0X")
    return [
        group
        for group in correlation.identities
        if any(
            normalise_name(v.name) == wanted or (len(hexed) >= 8 and any(fp.upper().endswith(hexed) for fp in v.pgp))
            for v in group
        )
    ]


def _union(a: VendorView, b: VendorView) -> VendorView:
    return VendorView(
        site=a.site,
        name=a.name,
        url=a.url or b.url,
        pgp=tuple(sorted({*a.pgp, *b.pgp})),
        contacts=tuple(sorted({*a.contacts, *b.contacts})),
        payout=tuple(sorted({*a.payout, *b.payout})),
        listing_count=max(a.listing_count, b.listing_count),
        first_seen=min(filter(None, (a.first_seen, b.first_seen)), default=""),
        last_seen=max(a.last_seen, b.last_seen),
    )
