"""`oniondex recrawl SEEDS`: crawl the sites of a seed list that are due (liveness backoff), and the new ones."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from oniondex import config
from oniondex.cli import crawl
from oniondex.liveness import LivenessStore


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("recrawl", help="crawl the seed sites that are due again")
    crawl.add_crawl_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    seeds = crawl.read_seeds(args.seeds)
    if seeds is None:
        return 2
    store = LivenessStore(config.data_dir() / "sites.db")
    try:
        known = {state.site for state in store.all()}
        due = set(store.due(datetime.now(UTC)))
    finally:
        store.close()
    todo = [seed for seed in seeds if seed.site in due or seed.site not in known]
    print(
        f"{len(todo)} of {len(seeds)} sites are due ({len(due & {s.site for s in seeds})} rechecks, "
        f"{sum(s.site not in known for s in seeds)} never crawled)"
    )
    if not todo:
        return 0
    return crawl.crawl_seeds(todo, args)
