"""`oniondex reindex`: rebuild the index from the WARC captures alone, re-running extraction."""

from __future__ import annotations

import argparse
from pathlib import Path

from oniondex import config
from oniondex.evidence.reindex import offline_settings, reindex, tqdm_progress
from oniondex.evidence.warcfile import warc_files
from oniondex.index import IndexError_, open_index


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("reindex", help="rebuild the index from the WARC files (no crawling)")
    parser.add_argument("--warc-dir", type=Path, default=None, help="WARC folder (default: DATA_DIR/warc)")
    parser.add_argument("--index", default=None, help="index path or URL (default: ONIONDEX_INDEX_URL or data/index)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="any Scrapy setting")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root = args.warc_dir or config.layout().warc_dir
    files = warc_files(root)
    if not files:
        print(f"error: no WARC files under {root}")
        return 2
    index_url = args.index or config.index_url()
    overrides = config.layout(index_url=index_url).as_settings()
    overrides.update(pair.split("=", 1) for pair in args.set if "=" in pair)
    total = sum(path.stat().st_size for path in files)
    with tqdm_progress(total) as bar:
        if args.no_progress:
            bar.disable = True
        result = reindex(root, offline_settings(overrides), bar.update)
    try:
        count = open_index(index_url).count()
    except IndexError_ as exc:
        print(f"error: {exc}")
        return 2
    print(f"reindexed {result.pages} pages from {result.files} WARC files into {index_url} ({count} documents)")
    if result.dropped:
        print(f"  {result.dropped} dropped by pipelines")
    for missing in result.missing:
        print(f"  warning: {missing}")
    return 1 if result.missing else 0
