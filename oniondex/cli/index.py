"""`oniondex index apply-mappings|reindex KIND|replay`: the Elasticsearch layout and the spool.

- apply-mappings: templates, versioned indices and aliases from index_mappings/ (creates only what is missing).
- reindex KIND: after bumping mappings._meta.version in index_mappings/KIND.json, copy KIND into the new
  versioned index and swap the alias atomically (--delete-old drops the previous index).
- replay: send the spool (records kept while the index was down) and, with --dead-letter, the rejected ones.
"""

from __future__ import annotations

import argparse
import json

from oniondex import config
from oniondex.index import IndexError_, open_index
from oniondex.index.documents import KINDS
from oniondex.index.spool import Spool


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("index", help="manage the index: Elasticsearch mappings, reindex, spool replay")
    parser.add_argument("action", choices=["apply-mappings", "reindex", "replay"])
    parser.add_argument("kind", nargs="?", choices=KINDS, help="for reindex: which index")
    parser.add_argument("--index", default=None, help="index path or URL (default: ONIONDEX_INDEX_URL or data/index)")
    parser.add_argument("--delete-old", action="store_true", help="reindex: delete the previous version's index")
    parser.add_argument("--dead-letter", action="store_true", help="replay: also resend rejected documents")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        index = open_index(args.index or config.index_url())
        if args.action == "replay":
            return replay(index, args.dead_letter)
        from oniondex.index import mappings
        from oniondex.index.elastic import ElasticIndex

        if not isinstance(index, ElasticIndex):
            print("error: mappings and reindex are for Elasticsearch (an http(s):// index URL)")
            return 2
        if args.action == "apply-mappings":
            for alias, name in mappings.apply(index.client, index.prefix).items():
                print(f"{alias} → {name}")
        else:
            if not args.kind:
                print("error: reindex needs a KIND: " + ", ".join(KINDS))
                return 2
            target = mappings.reindex(index.client, index.prefix, args.kind, args.delete_old)
            print(f"{mappings.alias(index.prefix, args.kind)} → {target}")
    except (IndexError_, ValueError) as exc:
        print(f"error: {exc}")
        return 2
    return 0


def replay(index, dead_letter: bool) -> int:
    spool = Spool(config.layout().spool)
    sent = spool.replay(lambda batch: index.add_pages(batch))
    if dead_letter:
        path = config.layout().dead_letter
        if path.exists():
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            result = index.add_pages([r["document"] for r in rows if r.get("document")])
            print(f"dead letters resent: {result.indexed} accepted, {len(result.failed)} rejected again")
    index.commit()
    print(f"replayed {sent} spooled records")
    return 0
