"""`oniondex quality real --pages DIR --truth FILE`: listings, vendors, entities and language on saved
real pages, per market and overall (see oniondex/quality/real.py for the scoring rules)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register_real(targets: argparse._SubParsersAction) -> None:
    parser = targets.add_parser("real", help="score extraction on saved real pages against their truth file")
    parser.add_argument("--pages", type=Path, required=True, help="folder of pages/<market>/<file>")
    parser.add_argument("--truth", type=Path, help="truth JSON (default: truth.json beside the pages folder)")
    parser.add_argument(
        "--run",
        choices=("generic", "learned", "both"),
        default="both",
        help="generic extraction only, a profile learned from one page per market, or both",
    )
    parser.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    parser.add_argument("--errors", type=int, default=0, help="list up to this many errors per market")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from oniondex.quality.real import FIELD_TARGET, FIELDS, LEARNED_TARGET, VENDOR_TARGET, load_truth, measure

    truth_path = args.truth or args.pages.parent / "truth.json"
    if not args.pages.is_dir() or not truth_path.is_file():
        print(f"error: need a pages folder and a truth file (got {args.pages}, {truth_path})")
        return 2
    truth = load_truth(truth_path)
    runs = ("generic", "learned") if args.run == "both" else (args.run,)
    results = [measure(args.pages, truth, name) for name in runs]
    passes = True
    for result in results:
        for score in result.markets.values():
            has_listings = score.listings.tp + score.listings.fn > 0
            target = FIELD_TARGET if result.run == "generic" else LEARNED_TARGET
            if has_listings and (score.field_accuracy or 0) < target:
                passes = False
        if result.run == "generic" and result.overall.vendors.f1 < VENDOR_TARGET:
            passes = False
    if args.json:
        print(json.dumps({r.run: r.as_dict() for r in results} | {"passes": passes}, ensure_ascii=False))
        return 0
    short = {"title": "title", "price": "price", "currency": "cur", "vendor": "vendor", "category": "categ",
             "ships_from": "from", "ships_to": "to"}  # fmt: skip
    for result in results:
        if args.errors:
            for score in result.markets.values():
                for error in score.errors[: args.errors]:
                    print(f"  [{result.run}] {error}")
        print(f"== {result.run} == {_ABOUT[result.run]}")
        for market, note in result.notes.items():
            print(f"   {market}: {note}")
        header = f"{'market':<19}{'pg':>3}{'lst P':>6}{'R':>6}{'fields':>7}" + "".join(f"{short[f]:>7}" for f in FIELDS)
        print(header + f"{'vend P':>7}{'R':>6}{'F1':>6}{'ent F1':>7}{'lang':>5}{'ms/pg':>7}")
        for market, score in [*result.markets.items(), ("ALL", result.overall)]:
            cells = "".join(_cell(score.accuracy(f)) for f in FIELDS)
            print(
                f"{market[:18]:<19}{score.pages:>3}{score.listings.precision:>6.2f}{score.listings.recall:>6.2f}"
                f"{_cell(score.field_accuracy)}{cells}{score.vendors.precision:>7.2f}{score.vendors.recall:>6.2f}"
                f"{score.vendors.f1:>6.2f}{score.entities.f1:>7.2f}{score.language_right / max(score.pages, 1):>5.2f}"
                f"{1000 * score.seconds / max(score.pages, 1):>7.1f}"
            )
    print(f"targets: fields >= {FIELD_TARGET} per market (generic), >= {LEARNED_TARGET} (learned); ", end="")
    print(f"vendor F1 >= {VENDOR_TARGET}")
    print("PASS" if passes else "BELOW TARGET")
    return 0


_ABOUT = {
    "generic": "(no profile; nothing in the project is built for these markets)",
    "learned": "(per market: a profile learned from one page, scored on the market's other pages)",
}


def _cell(value: float | None) -> str:
    return f"{value:>7.2f}" if value is not None else f"{'-':>7}"
