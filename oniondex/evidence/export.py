"""Evidence export: what a query selects (a URL, a site, an entity's pages) as a case file with a manifest,
in one of three formats (`FORMATS`).

`warc` (the default): the output folder holds
- `captures.warc.gz`: every selected record's gzip member copied byte for byte from the archive (so each
  record is bit-identical to the original capture), with the warcinfo record of each source file, and
  for a revisit also the response holding its payload;
- `records.jsonl`: the indexed record of each selected URL, as the index holds it now;
- `manifest.json`: the query, the captures with their times and payload SHA-256, the oniondex version,
  and every file's SHA-256; `manifest.json.sha256` holds the manifest's own hash (`sha256sum -c` reads it).

`stix` and `misp`: the same selected pages as a STIX 2.1 bundle (`case.stix.json`) or a MISP event
(`case.misp.json`), made by oniondex/export from a one-hop neighbourhood of exactly those pages
(`graph.pages_neighbourhood`: the selection's site or entity at the centre, what each page shows around
it); the manifest is the same, with the captures the file was drawn from, so `evidence verify` checks it.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import oniondex
from oniondex.evidence.errors import ExportError
from oniondex.evidence.history import HistoryStore, Row
from oniondex.evidence.manifest import MANIFEST, write_manifest
from oniondex.index import IndexError_, SearchQuery, open_index

if TYPE_CHECKING:
    from oniondex.graph import NodeRef

CAPTURES_FILE = "captures.warc.gz"
RECORDS_FILE = "records.jsonl"
FORMATS = ("warc", "stix", "misp")
CASE_FILES = {"stix": "case.stix.json", "misp": "case.misp.json"}
_PAGE = 500


@dataclass(frozen=True)
class Selection:
    """What an export is about: kind is "url", "site" or "entity"."""

    kind: str
    value: str


def export(
    selection: Selection,
    out: Path,
    warc_root: Path,
    history: HistoryStore,
    index_url: str,
    command: list[str],
    fmt: str = "warc",
    vendor_db: Path | None = None,
) -> dict[str, Any]:
    """Write the export to `out` (new or empty) in format `fmt` (one of FORMATS) and return its manifest.
    `vendor_db` (the crawl's vendor store) adds each vendor's identifiers to a STIX or MISP export."""
    if fmt not in FORMATS:
        raise ExportError(out, f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")
    if out.exists() and any(out.iterdir()):
        raise ExportError(out, "the output folder is not empty; an export is never written over another")
    urls = selected_urls(selection, history, index_url)
    captures = history.captures(urls)
    if not captures:
        raise ExportError(out, f"no captures of {selection.kind} {selection.value!r} in {history.path}")
    manifest = {
        "format": "oniondex-evidence-export/1",
        "export_format": fmt,
        "oniondex_version": oniondex.__version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "query": {selection.kind: selection.value},
        "command": shlex.join(command),
        "urls": sorted({row.url for row in captures}),
        "captures": [_capture_entry(row) for row in captures],
    }
    if fmt != "warc":
        return _export_case_file(selection, out, captures, index_url, fmt, vendor_db, manifest)
    records = _records_to_copy(history, captures)
    out.mkdir(parents=True, exist_ok=True)
    _copy_records(records, warc_root, out / CAPTURES_FILE)
    manifest["index"] = _write_index_records(index_url, manifest["urls"], out / RECORDS_FILE)
    return write_manifest(out, manifest, [CAPTURES_FILE, RECORDS_FILE])


def _export_case_file(
    selection: Selection,
    out: Path,
    captures: list[Row],
    index_url: str,
    fmt: str,
    vendor_db: Path | None,
    manifest: dict[str, Any],
) -> dict[str, Any]:
    """The selected pages as a STIX bundle or a MISP event (oniondex/export), with the manifest."""
    from oniondex.export import render_export  # stix2 and pymisp cost seconds: only for these formats
    from oniondex.graph import Sources
    from oniondex.graph.build import pages_neighbourhood

    latest = {row.url: row.date for row in captures}  # oldest first: the last capture of each URL wins
    try:
        index = open_index(index_url)
    except IndexError_ as exc:
        raise ExportError(Path(index_url), f"a {fmt} export needs the index: {exc}") from exc
    try:
        hood = pages_neighbourhood(Sources(index, vendor_db), _centre(selection, captures), sorted(latest.items()))
    finally:
        index.close()
    if len(hood.nodes) == 1:
        raise ExportError(out, f"the index holds nothing for the captures of {selection.kind} {selection.value!r}")
    out.mkdir(parents=True, exist_ok=True)
    name = CASE_FILES[fmt]
    with (out / name).open("xb") as target:
        target.write(render_export(hood, fmt))
    manifest["graph"] = {
        "centre": hood.centre.id, "nodes": len(hood.nodes), "edges": len(hood.edges), "hidden": hood.hidden,
        "capped": hood.capped, "records_read": hood.records_read,
    }  # fmt: skip
    return write_manifest(out, manifest, [name])


def _centre(selection: Selection, captures: list[Row]) -> NodeRef:
    from oniondex.graph.build import entity_ref, site_ref

    if selection.kind == "entity":
        return entity_ref("", selection.value)
    if selection.kind == "site":
        return site_ref(selection.value)
    # One URL: its site at the centre, with what the page shows.
    return site_ref(captures[-1].site or (urlsplit(selection.value).hostname or selection.value))


def selected_urls(selection: Selection, history: HistoryStore, index_url: str) -> list[str]:
    if selection.kind == "url":
        return [selection.value]
    if selection.kind == "site":
        return history.urls(site=selection.value.lower())
    if selection.kind == "entity":
        return _urls_with_entity(selection.value, index_url)
    raise ValueError(f"selection kind {selection.kind!r}: use url, site or entity")


def _urls_with_entity(value: str, index_url: str) -> list[str]:
    try:
        index = open_index(index_url)
    except IndexError_ as exc:
        raise ExportError(Path(index_url), f"--entity needs the index: {exc}") from exc
    urls: list[str] = []
    while True:
        result = index.search(SearchQuery(entity=value, limit=_PAGE, offset=len(urls)))
        urls.extend(hit.url for hit in result.hits)
        if not result.hits or len(urls) >= result.total:
            return urls


def _records_to_copy(history: HistoryStore, captures: list[Row]) -> list[Row]:
    """Captures, the responses their revisits refer to, their requests and metadata, and the warcinfo
    of every file they are in; in archive order."""
    chosen = {row.record_id: row for row in captures}
    for row in captures:
        if row.type == "revisit" and row.refers_to not in chosen and (original := history.get(row.refers_to)):
            chosen[original.record_id] = original
    chosen.update((row.record_id, row) for row in history.related(list(chosen)))
    chosen.update((row.record_id, row) for row in history.warcinfos({row.warc for row in chosen.values()}))
    return sorted(chosen.values(), key=lambda row: (row.warc, row.offset))


def _copy_records(rows: Iterable[Row], warc_root: Path, target: Path) -> None:
    with target.open("xb") as out:
        for row in rows:
            source = warc_root / row.warc
            with source.open("rb") as stream:
                stream.seek(row.offset)
                member = stream.read(row.length)
            if len(member) != row.length:
                raise ExportError(source, f"record {row.record_id} at {row.offset} is cut short")
            out.write(member)


def _write_index_records(index_url: str, urls: list[str], target: Path) -> dict[str, Any]:
    found = 0
    with target.open("x", encoding="utf-8") as out:
        try:
            index = open_index(index_url)
            for url in urls:
                document = index.get(url)
                if document is not None:
                    out.write(json.dumps(document, ensure_ascii=False, sort_keys=True) + "\n")
                    found += 1
        except IndexError_ as exc:
            return {"url": index_url, "records": found, "error": str(exc)}
    return {"url": index_url, "records": found}


def _capture_entry(row: Row) -> dict[str, Any]:
    entry = asdict(row)
    entry["source_warc"] = entry.pop("warc")
    entry["source_offset"] = entry.pop("offset")
    del entry["length"], entry["site"]
    return entry


__all__ = ["CAPTURES_FILE", "CASE_FILES", "FORMATS", "MANIFEST", "RECORDS_FILE", "Selection", "export", "selected_urls"]
