"""`oniondex quality entities`: entity precision/recall per type on the sample darknet's ground truth."""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("quality", help="measure extraction quality against the sample darknet")
    targets = parser.add_subparsers(dest="target", required=True, metavar="TARGET")
    entities = targets.add_parser("entities", help="precision and recall per entity type")
    entities.add_argument("--seed", type=int, default=None, help="world seed (default: the sample darknet's)")
    entities.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    entities.add_argument("--errors", type=int, default=20, help="list up to this many misses (default 20)")
    entities.set_defaults(func=run)
    from oniondex.cli.quality_listings import register_listings  # `quality listings` (issue 5)

    register_listings(targets)
    from oniondex.cli.quality_real import register_real  # `quality real` (issue 11)

    register_real(targets)
    from oniondex.cli.quality_tags import register_tags  # `quality tags` (issue 17)

    register_tags(targets)
    from oniondex.cli.quality_telegram import register_telegram  # `quality telegram` (issue 12)

    register_telegram(targets)
    from oniondex.cli.quality_clusters import register_clusters  # `quality clusters` (issue 15)

    register_clusters(targets)


def run(args: argparse.Namespace) -> int:
    from oniondex.quality.entities import measure
    from sample_darknet.world import DEFAULT_SEED, build_world

    quality = measure(build_world(DEFAULT_SEED if args.seed is None else args.seed))
    if args.json:
        print(json.dumps({**quality.as_dict(), "errors": quality.errors[: args.errors]}, ensure_ascii=False))
        return 0 if quality.passes else 1
    print(f"{quality.pages} pages; targets: precision >= 0.99, recall >= 0.98 for every type")
    print(f"{'type':<10}{'tp':>6}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}")
    for name, score in quality.scores.items():
        mark = "" if score.passes else "  BELOW TARGET"
        print(
            f"{name:<10}{score.true_positives:>6}{score.false_positives:>5}{score.false_negatives:>5}"
            f"{score.precision:>11.4f}{score.recall:>8.4f}{mark}"
        )
    if quality.unscored:
        print("not in the truth (unscored): " + ", ".join(f"{t} {n}" for t, n in quality.unscored.items()))
    for error in quality.errors[: args.errors]:
        print(f"{error['kind']}: {error['type']} {error['value']} on {error['url']}")
    print("PASS" if quality.passes else "FAIL")
    return 0 if quality.passes else 1
