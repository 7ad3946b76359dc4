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
    learn = actions.add_parser("learn", help="write a profile from one saved page and one offer's values")
    learn.add_argument("page", type=Path, help="a saved page of the market (HTML)")
    learn.add_argument("--title", required=True, help="one offer's title, as the page shows it")
    learn.add_argument("--price", required=True, help="that offer's price as a number (e.g. 1375.00)")
    for name in ("vendor", "category", "ships-from", "ships-to", "unit"):
        learn.add_argument(f"--{name}", default="", help=f"that offer's {name.replace('-', ' ')} (optional)")
    learn.add_argument("--url", help="the page's URL (its onion host goes into the profile's match)")
    learn.add_argument("--name", help="profile name (default: the output file's stem)")
    learn.add_argument("--out", type=Path, required=True, help="where to write the profile (profiles/NAME.yaml)")
    learn.add_argument("--force", action="store_true", help="overwrite an existing file")
    learn.set_defaults(func=run_learn)


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


def run_learn(args: argparse.Namespace) -> int:
    import yaml

    from oniondex.listings.induce import InductionError, learn_profile_data

    if args.out.exists() and not args.force:
        print(f"error: {args.out} exists (use --force to overwrite)")
        return 2
    try:
        page = Page(args.url or args.page.resolve().as_uri(), args.page.read_bytes())
    except OSError as exc:
        print(f"error: cannot read {args.page}: {exc.strerror}")
        return 2
    values = {
        "title": args.title, "price": args.price, "vendor": args.vendor, "category": args.category,
        "ships_from": args.ships_from, "ships_to": args.ships_to, "unit": args.unit,
    }  # fmt: skip
    try:
        data = learn_profile_data(page, args.name or args.out.stem, **values)
    except InductionError as exc:
        print(f"error: {exc}")
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    listings = listing_records(page, profiles=[load_profile(args.out)])
    print(f"wrote {args.out}: {len(listings)} listing(s) on this page; check other pages with")
    print(f"  oniondex profile test {args.out} PAGE...")
    return 0 if listings else 1
