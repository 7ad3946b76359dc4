"""`oniondex seeds check FILE`: list every problem in a seed list; exit 1 if any is an error."""

from __future__ import annotations

import argparse

from oniondex.seeds import load_seeds


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("seeds", help="check seed lists")
    actions = parser.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="validate every line of seed files")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    failed = False
    for path in args.files:
        try:
            seeds = load_seeds(path)
        except OSError as exc:
            print(f"{path}: error: cannot read: {exc.strerror}")
            failed = True
            continue
        for problem in seeds.problems:
            print(problem)
        failed = failed or bool(seeds.errors)
        print(f"{path}: {len(seeds.seeds)} seeds, {len(seeds.errors)} errors")
    return 1 if failed else 0
