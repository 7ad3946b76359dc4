"""Vendor views without what a phishing clone swapped in: a clone's payout address, PGP key or handle is
evidence of the scammer, not of the vendor, so correlation must not join it to the vendor's identity."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from oniondex.clusters.model import CloneFlag
from oniondex.vendors.correlate import VendorView


def without_swapped(views: Iterable[VendorView], flags: Iterable[CloneFlag]) -> list[VendorView]:
    swapped = {flag.site: flag.swapped_values() for flag in flags}
    out = []
    for view in views:
        drop = swapped.get(view.site)
        if drop:
            view = replace(
                view,
                pgp=tuple(fp for fp in view.pgp if fp.upper() not in drop),
                payout=tuple(p for p in view.payout if p[1] not in drop),
                contacts=tuple(c for c in view.contacts if f"{c[0]}:{c[1].lower()}" not in drop),
            )
        out.append(view)
    return out
