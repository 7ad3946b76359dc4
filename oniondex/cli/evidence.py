"""`oniondex evidence export|verify|history`: case-file exports of captures, their verification, and
the versions of a URL or site."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from urllib.parse import urlsplit

from oniondex import config
from oniondex.evidence.errors import EvidenceError
from oniondex.evidence.export import CAPTURES_FILE, CASE_FILES, FORMATS, Selection, export
from oniondex.evidence.history import HISTORY_FILE, HistoryStore
from oniondex.evidence.manifest import MANIFEST, file_sha256, verify


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("evidence", help="export captures for a case file, verify exports, history")
    commands = parser.add_subparsers(dest="evidence_command", required=True, metavar="ACTION")
    exporter = commands.add_parser(
        "export", help="write the captures of a URL, site or entity (WARC, STIX 2.1 or MISP), with a manifest"
    )
    _add_selection(exporter, entity=True)
    exporter.add_argument("--out", required=True, type=Path, help="new or empty folder to write")
    exporter.add_argument(
        "--format", choices=FORMATS, default="warc",
        help="warc: the captures byte for byte (default); stix: a STIX 2.1 bundle; misp: a MISP event",
    )  # fmt: skip
    exporter.add_argument("--index", default=None, help="index path or URL (default: ONIONDEX_INDEX_URL)")
    exporter.add_argument(
        "--vendor-db", type=Path, default=None, help="vendor store for stix/misp (default: DATA_DIR/vendors.db)"
    )
    _add_warc_dir(exporter)
    exporter.set_defaults(func=run_export)
    checker = commands.add_parser("verify", help="re-check every hash of an export; exit 1 on any change")
    checker.add_argument("folder", type=Path)
    checker.set_defaults(func=run_verify)
    history = commands.add_parser("history", help="every version of a URL (or each URL of a site)")
    _add_selection(history, entity=False)
    _add_warc_dir(history)
    history.set_defaults(func=run_history)


def run_export(args: argparse.Namespace) -> int:
    from web.audit import AuditLog

    selection = _selection(args)
    paths = config.layout(index_url=args.index)
    store = _history(args)
    audit = AuditLog(paths.audit_log)
    user, query = f"cli:{getpass.getuser()}", {selection.kind: selection.value}
    try:
        manifest = export(
            selection, args.out, _warc_dir(args), store, paths.index_url, ["oniondex", *sys.argv[1:]],
            fmt=args.format, vendor_db=args.vendor_db or paths.vendor_db,
        )  # fmt: skip
    except EvidenceError as exc:
        audit.write(user, "evidence_export_failed", format=args.format, error=str(exc), via="cli", **query)
        print(f"error: {exc}")
        return 2
    finally:
        store.close()
    captures = manifest["captures"]
    audit.write(
        user, "evidence_export", format=args.format, captures=len(captures), urls=len(manifest["urls"]),
        out=str(args.out), manifest_sha256=file_sha256(args.out / MANIFEST), via="cli", **query,
    )  # fmt: skip
    print(f"exported {len(captures)} captures of {len(manifest['urls'])} URLs to {args.out} ({args.format})")
    if args.format == "warc":
        print(f"  {CAPTURES_FILE} sha256 {manifest['files'][CAPTURES_FILE]['sha256']}")
        print(f"  {manifest['index']['records']} indexed records; check it with: oniondex evidence verify {args.out}")
        return 0
    name, graph = CASE_FILES[args.format], manifest["graph"]
    more = f", {graph['hidden']} more not exported" if graph["hidden"] else ""
    print(f"  {name} sha256 {manifest['files'][name]['sha256']}: {graph['nodes']} nodes, {graph['edges']} links{more}")
    print(f"  check it with: oniondex evidence verify {args.out}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    manifest, problems = verify(args.folder)
    if problems:
        print(f"FAILED: {args.folder} is not as exported ({len(problems)} problems)")
        for problem in problems:
            print(f"  {problem}")
        return 1
    assert manifest is not None
    print(f"OK: {args.folder}: {len(manifest['files'])} files and {len(manifest['captures'])} captures as exported")
    print(f"  query {manifest['query']}, exported {manifest['created_at']} by oniondex {manifest['oniondex_version']}")
    return 0


def run_history(args: argparse.Namespace) -> int:
    store = _history(args)
    try:
        selection = _selection(args)
        urls = [selection.value] if selection.kind == "url" else store.urls(site=selection.value)
        shown = 0
        for url in urls:
            versions = store.versions(url)
            if not versions:
                continue
            shown += 1
            print(f"{url}  ({len(versions)} versions)")
            for version in versions:
                print(
                    f"  sha256 {version.sha256}  status {version.status}  first {version.first_seen}"
                    f"  last {version.last_seen}  seen {version.times_seen}x"
                )
    finally:
        store.close()
    if not shown:
        print(f"no captures of {selection.kind} {selection.value!r}")
        return 1
    return 0


def _add_selection(parser: argparse.ArgumentParser, entity: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--url", help="one URL, exactly as crawled")
    group.add_argument("--site", help="every URL of one .onion site")
    if entity:
        group.add_argument("--entity", help="every page whose indexed entities include this value")


def _add_warc_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warc-dir", type=Path, default=None, help="WARC folder (default: DATA_DIR/warc)")


def _selection(args: argparse.Namespace) -> Selection:
    if args.url:
        return Selection("url", args.url)
    if args.site:
        site = urlsplit(args.site).hostname if "://" in args.site else args.site
        return Selection("site", (site or args.site).lower().strip("/"))
    return Selection("entity", args.entity)


def _warc_dir(args: argparse.Namespace) -> Path:
    return args.warc_dir or config.layout().warc_dir


def _history(args: argparse.Namespace) -> HistoryStore:
    return HistoryStore(_warc_dir(args) / HISTORY_FILE)
