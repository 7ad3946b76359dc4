"""`oniondex clusters [--site HOST]`: mirror clusters and the probable phishing clones in them."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from oniondex.config import layout
from oniondex.onion import OnionAddressError, normalise_onion

if TYPE_CHECKING:
    from oniondex.clusters.model import Cluster


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("clusters", help="mirror clusters and probable phishing clones, with evidence")
    parser.add_argument("--site", help="only the cluster of this onion (host or URL)")
    parser.add_argument("--db", type=Path, help="cluster store (default: ONIONDEX_CLUSTER_DB or DATA_DIR/clusters.db)")
    parser.add_argument("--json", action="store_true", help="print the clusters as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from oniondex.clusters.store import ClusterStore

    path = args.db or layout().cluster_db
    if not path.exists():
        print(f"error: no cluster store at {path}; crawl first, or pass --db PATH")
        return 2
    store = ClusterStore(path)
    try:
        clusters = store.clusters()
        if args.site:
            host = _host(args.site)
            if host is None:
                print(f"error: {args.site!r} is not a v3 onion address")
                return 2
            clusters = [c for c in clusters if host in c.sites]
            if not clusters:
                print(f"{host} is in no cluster: none of its pages is a near-duplicate of another site's")
                return 1
        if args.json:
            print(json.dumps([asdict(c) for c in clusters], ensure_ascii=False, indent=2))
        else:
            print(f"{len(clusters)} cluster(s) of two or more sites, {len(store)} pages in the store")
            for cluster in clusters:
                _print(cluster)
    finally:
        store.close()
    return 0


def _host(value: str) -> str | None:
    host = value.split("://", 1)[-1].split("/", 1)[0]
    try:
        return normalise_onion(host)
    except OnionAddressError:
        return None


def _print(cluster: Cluster) -> None:
    mirrors, clones = len(cluster.mirrors) - 1, len(cluster.clones)
    print(f"\ncluster {cluster.id}: {len(cluster.sites)} sites, {mirrors} mirror(s), {clones} clone(s)")
    for site in cluster.sites:
        flag = cluster.flag_of(site)
        role = "original" if site == cluster.id else ("PROBABLE PHISHING CLONE" if flag else "mirror")
        print(f"  {site}  {role}")
        for swap in flag.swaps if flag else ():
            print(
                f"    {swap.vendor} {swap.kind}: shows {', '.join(swap.clone_values)}"
                f" instead of {', '.join(swap.original_values)}"
            )
