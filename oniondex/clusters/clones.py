"""Within one cluster: which sites swap a vendor's identifiers, and which site is the original.

For every vendor and identifier kind (pgp, payout, contact) that two or more members show, the members
are grouped by the set of values they show (a variant). Exactly one variant is the original's, chosen by,
in order:

1. **support outside the cluster**: the variant whose own values (those not every variant shows) more
   sites outside this cluster also show
   (the vendor's other markets, shops and forums: a scammer's fresh address is seen nowhere else);
2. **majority**: the variant more members show (the original's mirrors agree with it);
3. **earliest seen**: the variant of the member first seen by the crawl;
4. the host name, so the choice is stable.

A member showing another variant that both lacks some of the original's values and adds values of its
own (a swap, not a page where extraction missed one value) is a probable phishing clone, with each swap
as evidence. Members showing the same identifiers as the original (true mirrors) are never flagged.
The cluster's id is its original: the earliest-seen member not flagged (then the host name).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from oniondex.clusters.model import CloneFlag, Identifier, Swap

# (values, cluster members) -> how many sites outside the members show any of the values
Support = Callable[[frozenset[str], frozenset[str]], int]


def flag_clones(
    members: Iterable[str],
    shown: dict[str, set[Identifier]],
    first_seen: dict[str, str],
    support: Support,
) -> tuple[str, tuple[CloneFlag, ...]]:
    """The cluster's original and its clone flags (sorted by site)."""
    sites = frozenset(members)

    def seen_key(site: str) -> tuple[str, str]:
        return first_seen.get(site, ""), site

    variants: dict[tuple[str, str], dict[frozenset[str], list[str]]] = defaultdict(lambda: defaultdict(list))
    for site in sorted(sites):
        values: dict[tuple[str, str], set[str]] = defaultdict(set)
        for ident in shown.get(site, ()):
            values[(ident.vendor, ident.kind)].add(ident.value)
        for key, found in values.items():
            variants[key][frozenset(found)].append(site)

    swaps: dict[str, list[Swap]] = defaultdict(list)
    originals: dict[str, list[str]] = defaultdict(list)
    for (vendor, kind), by_values in sorted(variants.items()):
        if len(by_values) < 2:
            continue
        common = frozenset.intersection(*by_values)  # values every variant shows support none of them
        original = min(
            by_values,
            key=lambda v: (-support(v - common, sites) if v - common else 0, -len(by_values[v]),
                           min(map(seen_key, by_values[v]))),
        )  # fmt: skip
        for values, holders in by_values.items():
            added, lacking = values - original, original - values
            if not (added and lacking):
                continue
            for site in holders:
                swaps[site].append(Swap(vendor, kind, tuple(sorted(added)), tuple(sorted(lacking))))
                originals[site].append(min(by_values[original], key=seen_key))
    flags = tuple(
        CloneFlag(site, max(sorted(set(originals[site])), key=originals[site].count), tuple(swaps[site]))
        for site in sorted(swaps)
    )
    unflagged = [site for site in sites if site not in swaps] or list(sites)
    return min(unflagged, key=seen_key), flags
