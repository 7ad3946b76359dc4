"""The manifest of an evidence folder, and `verify`: every file's SHA-256 and every record's digest,
re-checked, with each difference named by file."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from oniondex.evidence.warcfile import hex_digest

MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.json.sha256"
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Problem:
    file: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(folder: Path, manifest: dict[str, Any], files: list[str]) -> dict[str, Any]:
    manifest = {**manifest, "files": {name: _file_entry(folder / name) for name in sorted(files)}}
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    (folder / MANIFEST_HASH).write_text(f"{file_sha256(folder / MANIFEST)}  {MANIFEST}\n", encoding="utf-8")
    return manifest


def verify(folder: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """(the manifest, every problem found); no problems means every byte is as exported."""
    problems = _check_manifest_hash(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return None, [*problems, Problem(MANIFEST, f"cannot be read: {exc}")]
    files: dict[str, dict[str, Any]] = manifest.get("files", {})
    for name, entry in sorted(files.items()):
        problems.extend(_check_file(folder, name, entry))
    listed = {MANIFEST, MANIFEST_HASH, *files}
    problems.extend(Problem(p.name, "is not in the manifest") for p in sorted(folder.iterdir()) if p.name not in listed)
    for name in (n for n in files if n.endswith(".warc.gz") and (folder / n).is_file()):
        problems.extend(_check_records(folder / name, manifest.get("captures", [])))
    return manifest, problems


def _file_entry(path: Path) -> dict[str, Any]:
    return {"sha256": file_sha256(path), "bytes": path.stat().st_size}


def _check_manifest_hash(folder: Path) -> list[Problem]:
    try:
        expected = (folder / MANIFEST_HASH).read_text(encoding="utf-8").split()[0]
    except (OSError, IndexError):
        return [Problem(MANIFEST_HASH, "is missing or empty")]
    if not (folder / MANIFEST).is_file():
        return [Problem(MANIFEST, "is missing")]
    actual = file_sha256(folder / MANIFEST)
    return [] if actual == expected else [Problem(MANIFEST, f"changed: sha256 {actual}, exported as {expected}")]


def _check_file(folder: Path, name: str, entry: dict[str, Any]) -> list[Problem]:
    path = folder / name
    if not path.is_file():
        return [Problem(name, "is missing")]
    actual = file_sha256(path)
    if actual != entry.get("sha256"):
        return [Problem(name, f"changed: sha256 {actual}, exported as {entry.get('sha256')}")]
    return []


def _check_records(path: Path, captures: list[dict[str, Any]]) -> list[Problem]:
    """Each record's block and payload digests (as `warcio check` does), and each capture's payload
    SHA-256 against the manifest."""
    expected = {c["record_id"]: c["sha256"] for c in captures}
    problems: list[Problem] = []
    seen: set[str] = set()
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream, check_digests=True):
                while record.raw_stream.read(_CHUNK):  # the digest checker reads along
                    pass
                record_id = record.rec_headers.get_header("WARC-Record-ID")
                seen.add(record_id)
                if record.digest_checker.passed is False:
                    reasons = "; ".join(record.digest_checker.problems)
                    problems.append(Problem(path.name, f"record {record_id}: {reasons}"))
                problems.extend(_check_capture_digest(path, record, expected.get(record_id)))
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        return [*problems, Problem(path.name, f"cannot be read as WARC: {exc}")]
    problems.extend(Problem(path.name, f"record {rid} of the manifest is missing") for rid in expected.keys() - seen)
    return problems


def _check_capture_digest(path: Path, record: Any, expected: str | None) -> list[Problem]:
    if expected is None:
        return []
    header = record.rec_headers.get_header("WARC-Payload-Digest") or ""
    try:
        actual = hex_digest(header)
    except ValueError:
        actual = header
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    if actual != expected:
        return [Problem(path.name, f"record {record_id}: payload sha256 {actual}, the manifest says {expected}")]
    return []
