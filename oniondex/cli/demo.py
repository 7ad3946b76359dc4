"""`oniondex demo`: the main job on the bundled sample darknet, end to end on loopback.

Starts the sample sites and the SOCKS stand-in for Tor, crawls every sample seed, indexes the pages under
ONIONDEX_DATA_DIR (default data/), and prints what was found and how to search further.
"""

from __future__ import annotations

import argparse

from oniondex import config
from oniondex.bundled import bundled
from oniondex.cli import crawl
from oniondex.index import SearchQuery, open_index

SAMPLE_SEEDS = bundled("seeds") / "sample-darknet.txt"
SAMPLE_CHANNELS = bundled("seeds") / "sample-telegram.txt"
SAMPLE_QUERIES = ("escrow", "아이스")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="crawl and index the bundled sample darknet (loopback only)")
    parser.add_argument("--seeds", default=str(SAMPLE_SEEDS))
    parser.add_argument("--channels", default=str(SAMPLE_CHANNELS), help="Telegram channel seeds ('' for none)")
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--max-pages", type=int, default=60)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sample_darknet.testing import running_darknet, running_socks_front
    from sample_telegram.testing import running_telegram

    seeds = [crawl.read_seeds(path) for path in (args.seeds, args.channels) if path]
    if any(found is None for found in seeds):
        return 2
    print("starting the sample darknet and the sample Telegram (loopback only) and a SOCKS stand-in for Tor …")
    with (
        running_darknet() as darknet,
        running_telegram() as telegram,
        running_socks_front(darknet.url, telegram_url=telegram.url) as front,
    ):
        crawl_args = argparse.Namespace(
            proxy=front.url,
            depth=args.depth,
            max_pages=args.max_pages,
            discover=False,
            index=None,
            set=["STATS_DUMP=False", "ONIONDEX_TELEGRAM_BASE_URL=http://t.me"],  # the sample speaks plain HTTP
        )
        status = crawl.crawl_seeds([seed for found in seeds for seed in found or []], crawl_args)
    if status:
        return status
    index = open_index(config.index_url())
    print(f"\nindex: {config.index_url()} ({index.count()} pages, {index.count('posts')} Telegram posts)")
    for query in SAMPLE_QUERIES:
        result = index.search(SearchQuery(text=query, limit=3))
        print(f"\ntop hits for {query!r} ({result.total} in all):")
        for hit in result.hits:
            print(f"  {hit.site}  {hit.title or '(no title)'}\n      {hit.snippet[:110]}")
    data = config.data_dir()
    print("\nsearch further:  make search Q='작대기'   or   .venv/bin/oniondex search 'vendor' --lang en")
    print(f"crawl data is under {data}/ (ONIONDEX_DATA_DIR); the crawl summary is {data / 'last-crawl.json'}")
    return 0
