"""The watch store (SQLite, DATA_DIR/watch.db): watches, where each was seen, the last state of watched pages
and sites, alerts per analyst, and deliveries waiting to be sent (a failed one is kept and retried).

One connection shared by the crawl's watch thread and the reactor's, so every call takes the store's lock.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import asdict, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from oniondex.index.base import SearchQuery
from oniondex.watch.records import ALERT_KINDS, WATCH_KINDS, Alert, Watch

_SCHEMA = """
CREATE TABLE IF NOT EXISTS watches (
    id INTEGER PRIMARY KEY,
    analyst TEXT NOT NULL,
    kind TEXT NOT NULL,
    entity_type TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    query TEXT NOT NULL DEFAULT '',     -- a SearchQuery as JSON (query watches)
    created_at TEXT NOT NULL,
    UNIQUE (analyst, kind, entity_type, value)
);
CREATE INDEX IF NOT EXISTS watches_value ON watches (kind, value);
CREATE TABLE IF NOT EXISTS sightings (
    watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    site TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (watch_id, url)
);
CREATE INDEX IF NOT EXISTS sightings_site ON sightings (watch_id, site);
CREATE TABLE IF NOT EXISTS states (     -- page and site watches: what the last look found
    watch_id INTEGER PRIMARY KEY REFERENCES watches (id) ON DELETE CASCADE,
    present INTEGER NOT NULL,           -- 1 answered, 0 gone
    sha256 TEXT NOT NULL DEFAULT '',
    checked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY,
    watch_id INTEGER NOT NULL,          -- kept when the watch is removed: the alert names its value
    analyst TEXT NOT NULL,
    kind TEXT NOT NULL,
    watch_kind TEXT NOT NULL,
    value TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    site TEXT NOT NULL DEFAULT '',
    snippet TEXT NOT NULL DEFAULT '',
    capture TEXT NOT NULL DEFAULT '',
    seen_at TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    read INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS alerts_analyst ON alerts (analyst, read, id);
CREATE TABLE IF NOT EXISTS deliveries (
    alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    channel TEXT NOT NULL,              -- webhook, email
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try TEXT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    delivered_at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (alert_id, channel)
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (channel, delivered_at, next_try);
"""
MAX_SNIPPET_CHARS = 500
MAX_DETAIL_CHARS = 500
_QUERY_FIELDS = {f.name for f in fields(SearchQuery)}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class WatchStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=10000")  # the web UI and a crawl may write at once
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _run(self, sql: str, values: Iterable[Any] = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, tuple(values))

    # --- watches --------------------------------------------------------------------------------------

    def add_watch(
        self,
        analyst: str,
        kind: str,
        value: str,
        entity_type: str = "",
        label: str = "",
        query: SearchQuery | None = None,
    ) -> tuple[Watch, bool]:
        """The watch, and whether it is new (the same analyst watching the same value twice gets one watch)."""
        if kind not in WATCH_KINDS:
            raise ValueError(f"unknown watch kind {kind!r}: one of {', '.join(WATCH_KINDS)}")
        query_json = json.dumps(asdict(query), ensure_ascii=False) if query is not None else ""
        with self._lock:
            cursor = self._run(
                "INSERT OR IGNORE INTO watches (analyst, kind, entity_type, value, label, query, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (analyst, kind, entity_type, value, label, query_json, now()),
            )
            row = self._run(
                "SELECT * FROM watches WHERE analyst = ? AND kind = ? AND entity_type = ? AND value = ?",
                (analyst, kind, entity_type, value),
            ).fetchone()
        return _watch(row), cursor.rowcount == 1

    def watches(self, analyst: str | None = None, kind: str | None = None) -> list[Watch]:
        where, values = _where(analyst=analyst, kind=kind)
        return [_watch(r) for r in self._run(f"SELECT * FROM watches{where} ORDER BY id", values)]  # noqa: S608

    def watch(self, watch_id: int) -> Watch | None:
        row = self._run("SELECT * FROM watches WHERE id = ?", (watch_id,)).fetchone()
        return _watch(row) if row else None

    def remove_watch(self, watch_id: int, analyst: str) -> bool:
        """Removes one of the analyst's own watches (its alerts stay)."""
        return self._run("DELETE FROM watches WHERE id = ? AND analyst = ?", (watch_id, analyst)).rowcount == 1

    # --- what the crawl has seen ------------------------------------------------------------------------

    def add_sighting(self, watch_id: int, url: str, site: str, seen_at: str) -> tuple[bool, bool]:
        """(new page, new site) for this watch; records the sighting."""
        with self._lock:
            new_site = not self._run(
                "SELECT 1 FROM sightings WHERE watch_id = ? AND site = ? LIMIT 1", (watch_id, site)
            ).fetchone()
            cursor = self._run(
                "INSERT OR IGNORE INTO sightings (watch_id, url, site, first_seen) VALUES (?, ?, ?, ?)",
                (watch_id, url, site, seen_at),
            )
        return cursor.rowcount == 1, new_site

    def seen_urls(self, watch_id: int) -> set[str]:
        return {r[0] for r in self._run("SELECT url FROM sightings WHERE watch_id = ?", (watch_id,))}

    def state(self, watch_id: int) -> tuple[bool, str] | None:
        """(present, sha256) as the last look found the watched page or site, or None before any look."""
        row = self._run("SELECT present, sha256 FROM states WHERE watch_id = ?", (watch_id,)).fetchone()
        return (bool(row["present"]), row["sha256"]) if row else None

    def set_state(self, watch_id: int, present: bool, sha256: str | None = None) -> None:
        """`sha256=None` keeps the last known hash (a page gone has none to compare)."""
        with self._lock:
            old = self.state(watch_id)
            digest = sha256 if sha256 is not None else (old[1] if old else "")
            self._run(
                "INSERT OR REPLACE INTO states (watch_id, present, sha256, checked_at) VALUES (?, ?, ?, ?)",
                (watch_id, int(present), digest, now()),
            )

    # --- alerts -------------------------------------------------------------------------------------------

    def add_alert(self, alert: Alert, channels: Iterable[str] = ()) -> Alert:
        """Stores the alert (and a pending delivery per channel); returns it with its id and time."""
        if alert.kind not in ALERT_KINDS:
            raise ValueError(f"unknown alert kind {alert.kind!r}")
        created = now()
        row = (
            alert.watch_id, alert.analyst, alert.kind, alert.watch_kind, alert.value, alert.url, alert.site,
            alert.snippet[:MAX_SNIPPET_CHARS], alert.capture, alert.seen_at, alert.detail[:MAX_DETAIL_CHARS], created,
        )  # fmt: skip
        with self._lock:
            cursor = self._run(
                "INSERT INTO alerts (watch_id, analyst, kind, watch_kind, value, url, site, snippet, capture, "
                "seen_at, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            alert_id = int(cursor.lastrowid or 0)
            for channel in channels:
                self._run(
                    "INSERT INTO deliveries (alert_id, channel, next_try) VALUES (?, ?, ?)",
                    (alert_id, channel, created),
                )
        return self.alert(alert_id) or alert

    def alert(self, alert_id: int) -> Alert | None:
        row = self._run("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        return _alert(row) if row else None

    def alerts(self, analyst: str | None = None, unread_only: bool = False, limit: int = 1000) -> list[Alert]:
        """Unread first, newest first within each."""
        where, values = _where(analyst=analyst)
        if unread_only:
            where += (" AND" if where else " WHERE") + " read = 0"
        sql = f"SELECT * FROM alerts{where} ORDER BY read, id DESC LIMIT ?"  # noqa: S608 - fixed column names
        return [_alert(r) for r in self._run(sql, (*values, limit))]

    def unread_count(self, analyst: str) -> int:
        return int(self._run("SELECT COUNT(*) FROM alerts WHERE analyst = ? AND read = 0", (analyst,)).fetchone()[0])

    def mark_read(self, analyst: str, alert_ids: Iterable[int] | None = None) -> int:
        """Marks the analyst's alerts read (all of them without ids); returns how many changed."""
        if alert_ids is None:
            return self._run("UPDATE alerts SET read = 1 WHERE analyst = ? AND read = 0", (analyst,)).rowcount
        ids = list(alert_ids)
        marks = ",".join("?" * len(ids))
        sql = f"UPDATE alerts SET read = 1 WHERE analyst = ? AND read = 0 AND id IN ({marks})"  # noqa: S608
        return self._run(sql, (analyst, *ids)).rowcount if ids else 0

    # --- deliveries ----------------------------------------------------------------------------------------

    def due_deliveries(self, channel: str, limit: int = 100, at: str | None = None) -> list[Alert]:
        rows = self._run(
            "SELECT alerts.* FROM deliveries JOIN alerts ON alerts.id = deliveries.alert_id WHERE channel = ? "
            "AND delivered_at = '' AND next_try <= ? ORDER BY alerts.id LIMIT ?",
            (channel, at or now(), limit),
        )
        return [_alert(r) for r in rows]

    def delivered(self, channel: str, alert_ids: Iterable[int]) -> None:
        with self._lock:
            stamp = now()
            for alert_id in alert_ids:
                self._run(
                    "UPDATE deliveries SET delivered_at = ?, attempts = attempts + 1, last_error = '' "
                    "WHERE alert_id = ? AND channel = ?",
                    (stamp, alert_id, channel),
                )

    def failed(self, channel: str, alert_ids: Iterable[int], error: str, backoff: float, max_backoff: float) -> None:
        """Keeps the deliveries for a later try, `backoff` seconds on, doubling per attempt, at most `max_backoff`."""
        with self._lock:
            for alert_id in alert_ids:
                row = self._run(
                    "SELECT attempts FROM deliveries WHERE alert_id = ? AND channel = ?", (alert_id, channel)
                ).fetchone()
                attempts = (row["attempts"] if row else 0) + 1
                wait = min(max_backoff, backoff * 2 ** (attempts - 1))
                due = (datetime.now(UTC) + timedelta(seconds=wait)).isoformat(timespec="seconds").replace("+00:00", "Z")
                self._run(
                    "UPDATE deliveries SET attempts = ?, next_try = ?, last_error = ? "
                    "WHERE alert_id = ? AND channel = ?",
                    (attempts, due, error[:MAX_DETAIL_CHARS], alert_id, channel),
                )

    def pending_deliveries(self) -> list[dict[str, Any]]:
        rows = self._run("SELECT * FROM deliveries WHERE delivered_at = '' ORDER BY alert_id, channel")
        return [dict(r) for r in rows]


def _where(**filters: str | None) -> tuple[str, list[str]]:
    used = {name: value for name, value in filters.items() if value is not None}
    clause = " AND ".join(f"{name} = ?" for name in used)
    return (f" WHERE {clause}" if clause else ""), list(used.values())


def _watch(row: sqlite3.Row) -> Watch:
    query = None
    if row["query"]:
        saved = json.loads(row["query"])
        query = SearchQuery(**{k: tuple(v) if k == "tags" else v for k, v in saved.items() if k in _QUERY_FIELDS})
    return Watch(
        id=row["id"], analyst=row["analyst"], kind=row["kind"], value=row["value"], entity_type=row["entity_type"],
        label=row["label"], query=query, created_at=row["created_at"],
    )  # fmt: skip


def _alert(row: sqlite3.Row) -> Alert:
    return Alert(**{**dict(row), "read": bool(row["read"])})
