"""What the last crawls saw of each channel (SQLite): the newest post id, and each recent post's
content hash, so a recrawl fetches only what is new and tells edits and deletions from the rest."""

from __future__ import annotations

import sqlite3
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS channels (
    username TEXT PRIMARY KEY, title TEXT, has_preview INTEGER, last_seen_id INTEGER, crawled_at TEXT);
CREATE TABLE IF NOT EXISTS posts (
    channel TEXT, id INTEGER, sha256 TEXT, deleted INTEGER DEFAULT 0, seen_at TEXT, PRIMARY KEY (channel, id));
"""


class ChannelState:
    def __init__(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path))
        self.db.executescript(_SCHEMA)

    def last_seen(self, channel: str) -> int | None:
        row = self.db.execute("SELECT last_seen_id FROM channels WHERE username = ?", (channel,)).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def window(self, channel: str, size: int) -> dict[int, str]:
        """The newest `size` posts not known to be deleted: id → content hash."""
        rows = self.db.execute(
            "SELECT id, sha256 FROM posts WHERE channel = ? AND deleted = 0 ORDER BY id DESC LIMIT ?", (channel, size)
        ).fetchall()
        return {int(i): sha for i, sha in rows}

    def record_channel(self, channel: str, title: str, has_preview: bool, last_seen: int | None, at: str) -> None:
        self.db.execute(
            "INSERT INTO channels VALUES (?, ?, ?, ?, ?) ON CONFLICT(username) DO UPDATE SET title = excluded.title,"
            " has_preview = excluded.has_preview, crawled_at = excluded.crawled_at,"
            " last_seen_id = max(coalesce(excluded.last_seen_id, 0), coalesce(channels.last_seen_id, 0))",
            (channel, title, int(has_preview), last_seen, at),
        )
        self.db.commit()

    def record_post(self, channel: str, post_id: int, sha256: str, at: str) -> None:
        self.db.execute(
            "INSERT INTO posts VALUES (?, ?, ?, 0, ?) ON CONFLICT(channel, id) DO UPDATE SET sha256 = excluded.sha256,"
            " seen_at = excluded.seen_at, deleted = 0",
            (channel, post_id, sha256, at),
        )

    def mark_deleted(self, channel: str, post_id: int, at: str) -> None:
        query = "UPDATE posts SET deleted = 1, seen_at = ? WHERE channel = ? AND id = ?"
        self.db.execute(query, (at, channel, post_id))

    def commit(self) -> None:
        self.db.commit()

    def close(self) -> None:
        self.db.commit()
        self.db.close()
