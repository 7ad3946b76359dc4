"""`oniondex vendor NAME|FINGERPRINT`: one vendor across every site, with the evidence for each link."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oniondex.config import layout
from oniondex.vendors.correlate import Correlation, correlate, find_vendor

if TYPE_CHECKING:
    from oniondex.vendors.correlate import VendorView


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("vendor", help="show one vendor across all sites, with the evidence for each link")
    parser.add_argument("query", help="a vendor name (any site's spelling) or a PGP fingerprint (or its last 8+ hex)")
    parser.add_argument("--db", type=Path, help="vendor store (default: ONIONDEX_VENDOR_DB or DATA_DIR/vendors.db)")
    parser.add_argument("--sample-darknet", action="store_true", help="read the bundled sample darknet, not a crawl")
    parser.add_argument("--json", action="store_true", help="print the identities and links as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    correlation = _load(args)
    if correlation is None:
        return 2
    groups = find_vendor(correlation, args.query)
    if args.json:
        print(json.dumps([_as_json(correlation, g) for g in groups], ensure_ascii=False, indent=2))
    else:
        for group in groups:
            _print(correlation, group)
    if not groups:
        print(f"no vendor named or keyed {args.query!r} among {len(correlation.views)} vendor views")
    return 0 if groups else 1


def _load(args: argparse.Namespace) -> Correlation | None:
    if args.sample_darknet:
        from oniondex.quality.vendor_links import world_views
        from sample_darknet.world import build_world

        return correlate(world_views(build_world()))
    from oniondex.vendors.store import correlate_store

    path = args.db or layout().vendor_db
    if not path.exists():
        print(f"error: no vendor store at {path}; crawl first, or pass --db PATH or --sample-darknet")
        return None
    return correlate_store(path, layout().cluster_db)  # clones' swapped identifiers left out


def _print(correlation: Correlation, group: list[VendorView]) -> None:
    names = sorted({v.name for v in group})
    print(f"{' / '.join(names)}: {len(group)} view(s) on {len({v.site for v in group})} site(s)")
    for view in group:
        print(f"  {view.site}  {view.name}  {view.url}")
        print(f"    listings {view.listing_count}  seen {view.first_seen} .. {view.last_seen}")
        for fingerprint in view.pgp:
            print(f"    pgp {fingerprint}")
        for kind, value in (*view.contacts, *view.payout):
            print(f"    {kind} {value}")
    for link in correlation.links_of(group):
        joined = ", ".join(f"{name}@{site[:16]}…" for site, name in link.members)
        label = "STRONG" if link.strength == "strong" else "weak (name only, not the same identity)"
        print(f"  link {label} by {link.evidence} {link.value}: {joined}")
    print()


def _as_json(correlation: Correlation, group: list[VendorView]) -> dict[str, Any]:
    return {
        "views": [
            {**v.__dict__, "contacts": [list(c) for c in v.contacts], "payout": [list(p) for p in v.payout]}
            for v in group
        ],
        "links": [
            {"strength": x.strength, "evidence": x.evidence, "value": x.value, "members": [list(m) for m in x.members]}
            for x in correlation.links_of(group)
        ],
    }
