"""`oniondex profile test PROFILE PATH…`: run one site profile over saved pages and show what it finds."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from oniondex.listings.errors import ProfileError
from oniondex.listings.extract import listing_records
from oniondex.listings.profiles import load_profile
from oniondex.listings.records import SCORED_FIELDS
from oniondex.page import Page


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("profile", help="work with site profiles (profiles/*.yaml)")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    test = actions.add_parser("test", help="extract listings from saved pages with one profile")
    test.add_argument("profile", type=Path, help="a profile file (YAML)")
    test.add_argument("paths", type=Path, nargs="+", help="saved pages (HTML)")
    test.add_argument("--url", help="the URL the pages came from (default file://PATH); URL rules match on it")
    test.add_argument("--json", action="store_true", help="print every listing found as JSON")
    test.set_defaults(func=run_test)


def run_test(args: argparse.Namespace) -> int:
    try:
        profile = load_profile(args.profile)
    except ProfileError as exc:
        print(f"error: {exc}")
        return 2
    failures = 0
    for path in args.paths:
        page = Page(args.url or path.resolve().as_uri(), path.read_bytes())
        fits = profile.fits(page)
        listings = [x.as_dict() for x in listing_records(page, profiles=[profile])] if fits else []
        empty = {name: sum(1 for x in listings if x[name] in ("", None)) for name in SCORED_FIELDS}
        failures += not fits or not listings
        if args.json:
            print(json.dumps({"page": str(path), "fits": fits, "listings": listings}, ensure_ascii=False))
            continue
        gaps = ", ".join(f"{k} empty in {n}" for k, n in empty.items() if n) or "every field filled"
        print(f"{path}: {'fits' if fits else 'DOES NOT FIT'} {profile.name}; {len(listings)} listing(s); {gaps}")
        for item in listings:
            print("   ", " | ".join(str(item[name]) for name in (*SCORED_FIELDS, "unit", "category")))
    return 1 if failures else 0
