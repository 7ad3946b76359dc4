"""Capture history: one row per WARC record written, in SQLite next to the WARC files.

It answers "which versions of this URL exist, when was each first and last seen, with which hash" and
"which records does an export need" without reading the WARC files; `rebuild` recreates it from them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from oniondex.evidence.capture import Original

HISTORY_FILE = "history.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    record_id TEXT PRIMARY KEY,
    type TEXT NOT NULL,          -- warcinfo, request, response, revisit, metadata
    url TEXT NOT NULL,
    site TEXT NOT NULL,
    date TEXT NOT NULL,          -- WARC-Date, UTC, ISO 8601
    job TEXT NOT NULL,
    warc TEXT NOT NULL,          -- file, relative to the WARC root
    offset INTEGER NOT NULL,     -- of the record's gzip member
    length INTEGER NOT NULL,
    sha256 TEXT NOT NULL DEFAULT '',  -- payload SHA-256 (hex) of responses and revisits
    status INTEGER NOT NULL DEFAULT 0,
    refers_to TEXT NOT NULL DEFAULT ''  -- request: its response; revisit: the original; metadata: its capture
);
CREATE INDEX IF NOT EXISTS records_url ON records (url, type);
CREATE INDEX IF NOT EXISTS records_site ON records (site, type);
CREATE INDEX IF NOT EXISTS records_refers ON records (refers_to);
"""
_INSERT = "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_COLUMNS = ("record_id", "type", "url", "site", "date", "job", "warc", "offset", "length", "sha256", "status")
CAPTURE_TYPES = ("response", "revisit")


@dataclass(frozen=True)
class Row:
    record_id: str
    type: str
    url: str
    site: str
    date: str
    job: str
    warc: str
    offset: int
    length: int
    sha256: str = ""
    status: int = 0
    refers_to: str = ""


@dataclass(frozen=True)
class Version:
    """One distinct payload of a URL: when it was first and last fetched, and how often."""

    url: str
    sha256: str
    first_seen: str
    last_seen: str
    times_seen: int
    status: int
    record_id: str  # the response record holding the payload


class HistoryStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        # WAL: a commit survives a killed process without an fsync per commit (the crawl commits per page).
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._batched = False

    def close(self) -> None:
        self._db.close()

    def add(self, rows: Iterable[Row]) -> None:
        self._db.executemany(_INSERT, [tuple(getattr(row, name) for name in (*_COLUMNS, "refers_to")) for row in rows])
        if not self._batched:
            self._db.commit()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The rows added inside are committed together, at the end (one transaction for many captures)."""
        self._batched = True
        try:
            yield
        finally:
            self._batched = False
            self._db.commit()

    def original(self, url: str, sha256: str) -> Original | None:
        """The first response record of this URL with this payload, if any."""
        found = self._db.execute(
            "SELECT record_id, date FROM records WHERE url = ? AND type = 'response' AND sha256 = ? "
            "ORDER BY date LIMIT 1",
            (url, sha256),
        ).fetchone()
        return Original(found["record_id"], found["date"]) if found else None

    def versions(self, url: str) -> list[Version]:
        rows = self._db.execute(
            "SELECT url, sha256, MIN(date) AS first_seen, MAX(date) AS last_seen, COUNT(*) AS times_seen, "
            "MAX(status) AS status, MIN(CASE WHEN type = 'response' THEN record_id END) AS record_id "
            "FROM records WHERE url = ? AND type IN ('response', 'revisit') GROUP BY sha256 ORDER BY first_seen",
            (url,),
        )
        return [Version(**dict(row)) for row in rows]

    def urls(self, site: str | None = None) -> list[str]:
        where, args = ("WHERE site = ?", (site,)) if site else ("", ())
        rows = self._db.execute(f"SELECT DISTINCT url FROM records {where} ORDER BY url", args)  # noqa: S608
        return [row["url"] for row in rows]

    def captures(self, urls: Iterable[str]) -> list[Row]:
        """Every response and revisit of these URLs, oldest first."""
        return self._select("type IN ('response', 'revisit') AND url = ?", urls)

    def related(self, record_ids: Iterable[str]) -> list[Row]:
        """The requests and metadata that refer to these records."""
        return self._select("type IN ('request', 'metadata') AND refers_to = ?", record_ids)

    def warcinfos(self, warcs: Iterable[str]) -> list[Row]:
        """The warcinfo record that opens each of these files."""
        return self._select("type = 'warcinfo' AND warc = ?", warcs)

    def get(self, record_id: str) -> Row | None:
        found = self._select("record_id = ?", [record_id])
        return found[0] if found else None

    def pages_of_job(self, job: str) -> set[str]:
        """The URLs job `job` made page records of (its metadata records)."""
        rows = self._db.execute("SELECT DISTINCT url FROM records WHERE job = ? AND type = 'metadata'", (job,))
        return {row["url"] for row in rows}

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM records").fetchone()[0])

    def clear(self) -> None:
        with self._db:
            self._db.execute("DELETE FROM records")

    def _select(self, where: str, values: Iterable[str]) -> list[Row]:
        rows: list[Row] = []
        for value in dict.fromkeys(values):
            query = f"SELECT * FROM records WHERE {where} ORDER BY date, record_id"  # noqa: S608
            rows.extend(Row(**dict(found)) for found in self._db.execute(query, (value,)))
        return sorted(rows, key=lambda row: (row.date, row.warc, row.offset))


def iter_versions(store: HistoryStore, urls: Iterable[str]) -> Iterator[Version]:
    for url in urls:
        yield from store.versions(url)
