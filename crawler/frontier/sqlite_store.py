"""The frontier of one crawl process in SQLite (DATA_DIR/frontier.db, WAL): every request seen, and whether
it is still pending. Writes are committed by `flush` (the scheduler calls it several times a second), so a
SIGKILL loses at most the last fraction of a second, whose requests are fetched again on resume.

One process owns the file, so the seen set is also kept in memory (a link is checked on every page that
has it) and writes wait in order for `flush`, which runs them in one transaction, a statement per run of
like writes: a SELECT and an INSERT per request on the reactor's thread were the store's cost. What waits
is lost by a kill exactly as an uncommitted transaction was."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

from crawler.frontier.store import Entry

PENDING, DONE = 0, 1
_ADD = "INSERT OR IGNORE INTO requests VALUES (?, ?, ?, ?)"
_KEEP = "INSERT OR REPLACE INTO requests VALUES (?, ?, ?, ?)"
_DONE = "UPDATE requests SET state = ? WHERE fp = ?"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    fp TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    state INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_state ON requests (state);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class SqliteFrontier:
    def __init__(self, path: Path, job_id: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level="DEFERRED")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: a commit survives a killed process
        self._db.executescript(_SCHEMA)
        self._resuming = self._db.execute("SELECT 1 FROM requests WHERE state = ? LIMIT 1", (PENDING,)).fetchone()
        if self._resuming:
            self.job_id = stored_job_id(path) or job_id
        else:  # the last crawl finished: a new one starts with an empty seen set
            self._db.execute("DELETE FROM requests")
            self.job_id = job_id
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('job_id', ?)", (job_id,))
        self._db.commit()
        self._taken = False
        self._seen = {fp for (fp,) in self._db.execute("SELECT fp FROM requests")}
        self._writes: list[tuple[str, tuple[object, ...]]] = []  # (statement, its parameters), in order

    def resuming(self) -> bool:
        return bool(self._resuming)

    def seen(self, fp: str) -> bool:
        return fp in self._seen

    def add(self, entry: Entry) -> bool:
        if entry.fp in self._seen:
            return False
        self._seen.add(entry.fp)
        self._writes.append((_ADD, (entry.fp, entry.site, PENDING, entry.data)))
        return True

    def keep(self, entry: Entry) -> None:
        self._seen.add(entry.fp)
        self._writes.append((_KEEP, (entry.fp, entry.site, PENDING, entry.data)))

    def done(self, entries: Iterable[Entry]) -> None:
        self._writes.extend((_DONE, (DONE, e.fp)) for e in entries)

    def holds(self, site: str) -> bool:
        return True

    def take(self) -> list[Entry]:
        if self._taken:
            return []
        self._taken = True
        self._write()  # what was added before the first take is taken with the rest
        rows = self._db.execute("SELECT fp, site, data FROM requests WHERE state = ? ORDER BY rowid", (PENDING,))
        return [Entry(fp, site, data) for fp, site, data in rows]

    def release(self, site: str) -> None:
        pass

    def waiting_elsewhere(self) -> bool:
        return not self._taken  # one worker: once taken, every pending entry is in its memory queue

    def done_per_site(self) -> dict[str, int]:
        self._write()
        rows = self._db.execute("SELECT site, COUNT(*) FROM requests WHERE state = ? GROUP BY site", (DONE,))
        return dict(rows.fetchall())

    def flush(self) -> None:
        self._write()
        self._db.commit()

    def _write(self) -> None:
        """Run the waiting writes in order (uncommitted): one executemany per run of one statement."""
        writes, self._writes = self._writes, []
        for statement, run in groupby(writes, key=lambda write: write[0]):
            self._db.executemany(statement, [parameters for _, parameters in run])

    def close(self) -> None:
        self.flush()
        self._db.close()


def stored_job_id(path: Path) -> str:
    """The job id of the crawl whose frontier is at `path`, if it left requests to fetch; else ''."""
    if not path.exists():
        return ""
    with sqlite3.connect(path) as db:
        try:
            pending = db.execute("SELECT 1 FROM requests WHERE state = ? LIMIT 1", (PENDING,)).fetchone()
            row = db.execute("SELECT value FROM meta WHERE key = 'job_id'").fetchone()
        except sqlite3.OperationalError:  # not a frontier yet
            return ""
    return row[0] if pending and row else ""
