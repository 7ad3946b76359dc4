"""`oniondex search "query"`: ranked hits with site, title and snippet."""

from __future__ import annotations

import argparse

from oniondex import config
from oniondex.index import IndexError_, SearchQuery, open_index


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("search", help="search the index")
    parser.add_argument("query", help='words, "phrases", AND/OR/NOT; Korean works (아이스)')
    parser.add_argument("--site", help="only this .onion site")
    parser.add_argument("--lang", help="only pages in this language (ko, en, ru, …)")
    parser.add_argument("--entity", help="only pages carrying this exact entity value (an address, a key…)")
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--index", default=None, help="index path or URL (default: ONIONDEX_INDEX_URL or data/index)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        index = open_index(args.index or config.index_url())
        result = index.search(
            SearchQuery(text=args.query, site=args.site, language=args.lang, entity=args.entity, limit=args.limit)
        )
    except IndexError_ as exc:
        print(f"error: {exc}")
        return 2
    print(f"{result.total} hits for {args.query!r}")
    for rank, hit in enumerate(result.hits, start=1):
        print(f"{rank:>3}. {hit.title or '(no title)'}  [{hit.language}]")
        print(f"     {hit.url}")
        print(f"     {hit.snippet}")
    return 0
