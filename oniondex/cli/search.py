"""`oniondex search "query"`: ranked hits with site, title and highlighted snippet; or `--pivot VALUE`."""

from __future__ import annotations

import argparse
import sys

from oniondex import config
from oniondex.argot.query import word_tags
from oniondex.index import Index, IndexError_, SearchHit, SearchQuery, SearchResult, open_index


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("search", help="search the index")
    parser.add_argument("query", nargs="?", default="", help='words, "phrases", OR, -word; Korean works (아이스)')
    parser.add_argument("--site", help="only this .onion site")
    parser.add_argument("--lang", help="only pages in this language (ko, en, ru, …)")
    parser.add_argument("--entity", help="only pages carrying this exact entity value (an address, a key…)")
    parser.add_argument("--entity-type", help="only pages with an entity of this type (BTC, XMR, pgp, telegram…)")
    parser.add_argument("--tag", action="append", default=[], help="only pages with this tag (repeatable)")
    parser.add_argument("--since", help="fetched on or after (ISO date)")
    parser.add_argument("--until", help="fetched on or before (ISO date)")
    parser.add_argument("--price-min", type=float)
    parser.add_argument("--price-max", type=float)
    parser.add_argument("--currency")
    parser.add_argument(
        "--literal", action="store_true", help="words as spelled only (by default a drug name also finds its tag)"
    )
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument(
        "--collapse", action="store_true", help="fold each page's mirror copies into one hit (the cluster store)"
    )
    parser.add_argument("--pivot", metavar="VALUE", help="every page, site and vendor where VALUE appears")
    parser.add_argument("--index", default=None, help="index path or URL (default: ONIONDEX_INDEX_URL or data/index)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        index = open_index(args.index or config.index_url())
        if args.pivot:
            return print_pivot(index, args.pivot)
        query = SearchQuery(
            text=args.query,
            site=args.site,
            language=args.lang,
            entity=args.entity,
            entity_type=args.entity_type,
            tags=tuple(args.tag),
            date_from=args.since,
            date_to=args.until,
            price_min=args.price_min,
            price_max=args.price_max,
            currency=args.currency,
            word_tags=() if args.literal else word_tags(args.query),
            limit=args.limit,
            offset=args.offset,
        )
        result = _collapsed(index, query) if args.collapse else index.search(query)
    except IndexError_ as exc:
        print(f"error: {exc}")
        return 2
    print(f"{'about ' if result.estimated else ''}{result.total} hits for {args.query!r}")
    for rank, hit in enumerate(result.hits, start=args.offset + 1):
        print(f"{rank:>3}. {hit.title or '(no title)'}  [{hit.language}]")
        print(
            f"     {hit.url}"
            + (f"  (and {len(hit.mirrors)} mirror{'s' * (len(hit.mirrors) != 1)})" if hit.mirrors else "")
        )
        print(f"     {_terminal(hit)}")
    return 0


def _collapsed(index: Index, query: SearchQuery) -> SearchResult:
    from oniondex.clusters.collapse import collapsed_search, mirror_groups
    from oniondex.clusters.store import ClusterStore

    path = config.layout().cluster_db
    if not path.exists():
        return index.search(query)  # nothing clustered yet: nothing to fold
    store = ClusterStore(path)
    try:
        return collapsed_search(index, query, mirror_groups(store.clusters()))
    finally:
        store.close()


def print_pivot(index, value: str) -> int:
    pivot = index.pivot(value)
    if not pivot.pages:
        print(f"{value!r} appears nowhere in the index")
        return 1
    print(f"{value} ({', '.join(pivot.types)}): first seen {pivot.first_seen}, last seen {pivot.last_seen}")
    for title, rows in (("sites", pivot.sites), ("vendors", pivot.vendors), ("pages", pivot.pages)):
        print(f"{title}:")
        for seen in rows:
            print(
                f"  {seen.key}  {seen.first_seen} → {seen.last_seen}"
                + (f"  ({seen.pages} pages)" if title != "pages" else "")
            )
    return 0


def _terminal(hit: SearchHit) -> str:
    """The snippet with its matches in bold on a terminal, plain in a pipe or a file."""
    bold, plain = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("", "")
    return "".join(f"{bold}{text}{plain}" if matched else text for text, matched in hit.segments())
