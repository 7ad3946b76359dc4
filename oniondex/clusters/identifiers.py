"""The vendor identifiers a page shows (from its typed vendor records): what a phishing clone swaps."""

from __future__ import annotations

from oniondex.clusters.model import Identifier
from oniondex.extraction import PageExtraction


def page_identifiers(extraction: PageExtraction) -> tuple[Identifier, ...]:
    """PGP fingerprints, payout addresses and contact handles of every vendor the page presents.

    Only vendor records count: addresses in forum posts or pastes are not a vendor's, and different sites
    built on one template legitimately show different ones."""
    out: dict[Identifier, None] = {}
    for vendor in extraction.vendors:
        name = vendor.name_normalised
        out.update(dict.fromkeys(Identifier(name, "pgp", fp.upper()) for fp in vendor.pgp))
        out.update(dict.fromkeys(Identifier(name, "payout", p.value) for p in vendor.payout))
        out.update(dict.fromkeys(Identifier(name, "contact", f"{c.type}:{c.value.lower()}") for c in vendor.contacts))
    return tuple(out)
