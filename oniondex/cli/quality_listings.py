"""`oniondex quality listings`: listing field accuracy (with and without profiles) and vendor links."""

from __future__ import annotations

import argparse
import json


def register_listings(targets: argparse._SubParsersAction) -> None:
    parser = targets.add_parser("listings", help="listing field accuracy and cross-site vendor links")
    parser.add_argument("--seed", type=int, default=None, help="world seed (default: the sample darknet's)")
    parser.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    parser.add_argument("--errors", type=int, default=10, help="list up to this many field errors per run")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from oniondex.listings.records import EXTRA_FIELDS, SCORED_FIELDS
    from oniondex.quality.listings import (
        GENERIC_DEV_LAYOUTS,
        GENERIC_HOLDOUT_LAYOUTS,
        GENERIC_TARGET,
        PROFILE_TARGET,
        measure_listings,
    )
    from oniondex.quality.vendor_links import measure_links
    from sample_darknet.world import DEFAULT_SEED, build_world

    world = build_world(DEFAULT_SEED if args.seed is None else args.seed)
    runs = measure_listings(world)
    links, _ = measure_links(world)
    generic_links, _ = measure_links(world, [])
    targets = {"profiles": PROFILE_TARGET, "generic_holdout": GENERIC_TARGET}
    passes = all(runs[name].worst() >= target for name, target in targets.items()) and links.passes
    if args.json:
        out = {name: score.as_dict() for name, score in runs.items()}
        out.update(vendor_links=links.as_dict(), vendor_links_without_profiles=generic_links.as_dict(), passes=passes)
        print(json.dumps(out, ensure_ascii=False))
        return 0 if passes else 1
    dev, held_out = ", ".join(GENERIC_DEV_LAYOUTS), ", ".join(GENERIC_HOLDOUT_LAYOUTS)
    print(f"generic extractor built on {dev}; held out: {held_out}")
    print(f"{'run':<22}{'listings':>9}{'invented':>9}" + "".join(f"{f:>11}" for f in SCORED_FIELDS + EXTRA_FIELDS))
    for name, score in runs.items():
        cells = "".join(f"{score.accuracy(f):>11.3f}" for f in SCORED_FIELDS + EXTRA_FIELDS)
        target = f"  target {targets[name]:.2f}" if name in targets else ""
        print(f"{name:<22}{score.truth:>9}{score.extra:>9}{cells}{target}")
    print("(scored: the first six fields; unit and category are reported, category counted where the page shows it)")
    print(f"vendor links, with profiles:    {links.as_dict()}")
    print(f"vendor links, without profiles: {generic_links.as_dict()}")
    for name in targets:
        for error in runs[name].errors[: args.errors]:
            print(f"{name}: {error}")
    print("PASS" if passes else "FAIL")
    return 0 if passes else 1
