"""`oniondex quality clusters`: mirror-cluster precision/recall (pairs of sites) and clone flags on the
sample darknet's truth."""

from __future__ import annotations

import argparse
import json


def register_clusters(targets: argparse._SubParsersAction) -> None:
    parser = targets.add_parser("clusters", help="mirror clusters (pairwise P/R over sites) and clone flags")
    parser.add_argument("--seed", type=int, default=None, help="world seed (default: the sample darknet's)")
    parser.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    parser.add_argument("--errors", type=int, default=20, help="list up to this many errors (default 20)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from oniondex.clusters.quality import measure
    from sample_darknet.world import DEFAULT_SEED, build_world

    world = build_world(DEFAULT_SEED if args.seed is None else args.seed)
    quality = measure(world)
    if args.json:
        print(json.dumps({**quality.as_dict(), "errors": quality.errors[: args.errors]}, ensure_ascii=False))
        return 0 if quality.passes else 1
    pairs, clones = quality.pairs, quality.clones
    print(f"{quality.sites} sites, {len(quality.clusters)} clusters found; targets: pair precision and recall >= 0.95,")
    print("every clone flagged with its swapped identifiers, no true mirror flagged")
    print(f"site pairs   tp {pairs.tp}  fp {pairs.fp}  fn {pairs.fn}  precision {pairs.precision:.4f}  "
          f"recall {pairs.recall:.4f}")  # fmt: skip
    print(f"clone flags  tp {clones.tp}  fp {clones.fp}  fn {clones.fn}  precision {clones.precision:.4f}  "
          f"recall {clones.recall:.4f}")  # fmt: skip
    for cluster in quality.clusters:
        names = [world.sites[s].site_id + (" (clone)" if cluster.flag_of(s) else "") for s in cluster.sites]
        print(f"  {', '.join(names)}")
    for label, items in (
        ("true mirror flagged", quality.mirrors_flagged),
        ("swapped identifier missing from the evidence", quality.evidence_missing),
        ("wrong original", quality.wrong_original),
    ):
        for item in items:
            print(f"{label}: {item}")
    for error in quality.errors[: args.errors]:
        print(error)
    print("PASS" if quality.passes else "FAIL")
    return 0 if quality.passes else 1
