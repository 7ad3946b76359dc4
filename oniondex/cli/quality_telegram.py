"""`oniondex quality telegram`: entities and drug-trade tags in the sample Telegram's posts, P/R per type."""

from __future__ import annotations

import argparse
import json


def register_telegram(targets: argparse._SubParsersAction) -> None:
    parser = targets.add_parser("telegram", help="entity and tag precision/recall on the sample Telegram's posts")
    parser.add_argument("--seed", type=int, default=None, help="world seed (default: the sample Telegram's)")
    parser.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    parser.add_argument("--errors", type=int, default=20, help="list up to this many misses (default 20)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from oniondex.quality.telegram import measure
    from sample_telegram.world import DEFAULT_SEED, build_world

    quality = measure(build_world(DEFAULT_SEED if args.seed is None else args.seed))
    errors = [*quality.entities.errors, *quality.tag_errors][: args.errors]
    if args.json:
        print(json.dumps({**quality.as_dict(), "errors": errors}, ensure_ascii=False))
        return 0 if quality.passes else 1
    print(f"{quality.entities.pages} posts; targets: precision >= 0.99, recall >= 0.98 for every entity type and tag")
    print(f"{'':<8}{'type':<22}{'tp':>6}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}")
    for group, scores in (("entity", quality.entities.scores), ("tag", quality.tags)):
        for name, score in sorted(scores.items()):
            if not (score.true_positives or score.false_positives or score.false_negatives):
                continue
            mark = "" if score.passes else "  BELOW TARGET"
            print(
                f"{group:<8}{name:<22}{score.true_positives:>6}{score.false_positives:>5}{score.false_negatives:>5}"
                f"{score.precision:>11.4f}{score.recall:>8.4f}{mark}"
            )
    for error in errors:
        print(error)
    print("PASS" if quality.passes else "FAIL")
    return 0 if quality.passes else 1
