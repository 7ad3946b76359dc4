"""Evidence export: the WARC records of what a query selects, their extracted records, and a manifest.

The output folder holds:
- `captures.warc.gz`: every selected record's gzip member copied byte for byte from the archive (so each
  record is bit-identical to the original capture), with the warcinfo record of each source file, and
  for a revisit also the response holding its payload;
- `records.jsonl`: the indexed record of each selected URL, as the index holds it now;
- `manifest.json`: the query, the captures with their times and payload SHA-256, the oniondex version,
  and every file's SHA-256; `manifest.json.sha256` holds the manifest's own hash (`sha256sum -c` reads it).
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import oniondex
from oniondex.evidence.errors import ExportError
from oniondex.evidence.history import HistoryStore, Row
from oniondex.evidence.manifest import MANIFEST, write_manifest
from oniondex.index import IndexError_, SearchQuery, open_index

CAPTURES_FILE = "captures.warc.gz"
RECORDS_FILE = "records.jsonl"
_PAGE = 500


@dataclass(frozen=True)
class Selection:
    """What an export is about: kind is "url", "site" or "entity"."""

    kind: str
    value: str


def export(
    selection: Selection, out: Path, warc_root: Path, history: HistoryStore, index_url: str, command: list[str]
) -> dict[str, Any]:
    """Write the export to `out` (new or empty) and return its manifest."""
    if out.exists() and any(out.iterdir()):
        raise ExportError(out, "the output folder is not empty; an export is never written over another")
    urls = selected_urls(selection, history, index_url)
    captures = history.captures(urls)
    if not captures:
        raise ExportError(out, f"no captures of {selection.kind} {selection.value!r} in {history.path}")
    records = _records_to_copy(history, captures)
    out.mkdir(parents=True, exist_ok=True)
    _copy_records(records, warc_root, out / CAPTURES_FILE)
    index_note = _write_index_records(index_url, sorted({row.url for row in captures}), out / RECORDS_FILE)
    manifest = {
        "format": "oniondex-evidence-export/1",
        "oniondex_version": oniondex.__version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "query": {selection.kind: selection.value},
        "command": shlex.join(command),
        "urls": sorted({row.url for row in captures}),
        "captures": [_capture_entry(row) for row in captures],
        "index": index_note,
    }
    return write_manifest(out, manifest, [CAPTURES_FILE, RECORDS_FILE])


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


__all__ = ["CAPTURES_FILE", "MANIFEST", "RECORDS_FILE", "Selection", "export", "selected_urls"]
