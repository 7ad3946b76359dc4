"""`oniondex export graph|stix|misp`: a node's link-graph neighbourhood as a file for another tool:
GraphML, GEXF or CSV tables (graph), a STIX 2.1 bundle (stix), a MISP event (misp). Written whole or not at
all (a temporary file renamed), and audited in DATA_DIR/audit.jsonl like the web UI's exports."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from oniondex import config
from oniondex.graph import DEPTH, MAX_NODES, NodeRef, Sources, neighbourhood
from oniondex.graph.build import MAX_DEPTH, MAX_NODES_CAP, node_ref

GRAPH_FORMATS = ("graphml", "gexf", "nodes.csv", "links.csv")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="a node's link graph as GraphML/GEXF/CSV, STIX 2.1 or MISP")
    kinds = parser.add_subparsers(dest="export_kind", required=True, metavar="KIND")
    for kind, help_text in (
        ("graph", "GraphML (default), GEXF, or node / link CSV tables (Gephi, Maltego, i2)"),
        ("stix", "a STIX 2.1 bundle: identities, observables, indicators, sightings, relationships"),
        ("misp", "a MISP event (MISP core format JSON)"),
    ):
        sub = kinds.add_parser(kind, help=help_text)
        _add_centre(sub)
        if kind == "graph":
            sub.add_argument("--format", choices=GRAPH_FORMATS, default="graphml")
        sub.add_argument("--out", required=True, help="file to write ('-': standard output)")
        sub.add_argument("--depth", type=_bounded(0, MAX_DEPTH), default=DEPTH, help=f"hops (default {DEPTH})")
        sub.add_argument(
            "--max-nodes", type=_bounded(1, MAX_NODES_CAP), default=MAX_NODES, help=f"nodes at most ({MAX_NODES})"
        )
        sub.add_argument("--index", default=None, help="index path or URL (default: ONIONDEX_INDEX_URL)")
        sub.add_argument("--vendor-db", type=Path, default=None, help="vendor store (default: DATA_DIR/vendors.db)")
        sub.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: stix2, pymisp and the desk's modules cost seconds, and every `oniondex` command loads this one.
    from oniondex.export import render_export
    from oniondex.index import open_index
    from web.audit import AuditLog

    try:
        centre = _centre(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    paths = config.layout(index_url=args.index)
    index = open_index(paths.index_url)
    try:
        hood = neighbourhood(Sources(index, args.vendor_db or paths.vendor_db), centre, args.depth, args.max_nodes)
    finally:
        index.close()
    fmt = args.format if args.export_kind == "graph" else args.export_kind
    body = render_export(hood, fmt)
    _write(args.out, body)
    AuditLog(paths.audit_log).write(
        f"cli:{getpass.getuser()}", "export_graph", node=centre.id, format=fmt, depth=args.depth,
        nodes=len(hood.nodes), edges=len(hood.edges), out=str(args.out), via="cli",
    )  # fmt: skip
    more = f", {hood.hidden} more not shown (raise --max-nodes)" if hood.hidden else ""
    where = "standard output" if args.out == "-" else args.out
    print(
        f"{fmt}: {len(hood.nodes)} nodes, {len(hood.edges)} links around {centre.id}{more} -> {where}", file=sys.stderr
    )
    if len(hood.nodes) == 1:
        print(f"nothing in the index or the vendor store is linked to {centre.id}", file=sys.stderr)
        return 1
    return 0


def _add_centre(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--entity", help="an entity value (address, PGP fingerprint, handle, e-mail, phone)")
    group.add_argument("--vendor", help="a vendor name (any site's spelling)")
    group.add_argument("--site", help="an onion host")
    group.add_argument("--channel", help="a Telegram channel username")
    group.add_argument("--node", help="a node id KIND:KEY as the web UI's /graph?node= takes it")


def _centre(args: argparse.Namespace) -> NodeRef:
    if args.node:
        return node_ref(args.node)
    kind = next(k for k in ("entity", "vendor", "site", "channel") if getattr(args, k))
    return node_ref(f"{kind}:{getattr(args, kind)}")


def _write(out: str, body: bytes) -> None:
    if out == "-":
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", delete=False) as tmp:
        tmp.write(body)
    os.replace(tmp.name, target)


def _bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not within {low}-{high}")
        return value

    return parse
