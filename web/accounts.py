"""Analyst accounts and their sessions, in SQLite under the data directory (`DATA_DIR/accounts.db`).

Passwords are hashed with Argon2id (argon2-cffi's defaults). A session is a random token: the browser keeps
it in an HttpOnly cookie, tools send it as `Authorization: Bearer …`; only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD_CHARS = 10
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, hash TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (token_sha256 TEXT PRIMARY KEY, user TEXT NOT NULL, expires_at TEXT NOT NULL);
"""


class AccountError(ValueError):
    """An account could not be created: the message says which rule the name or password broke."""


def _now() -> datetime:
    return datetime.now(UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class AccountStore:
    """One connection per call, so the store is safe to share across the server's worker threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._hasher = PasswordHasher()
        with closing(self._connect()) as db, db:
            db.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path)

    def add(self, name: str, password: str) -> None:
        if not _NAME_RE.match(name):
            raise AccountError(f"user name {name!r}: use 1-64 letters, digits, '.', '_' or '-'")
        if len(password) < MIN_PASSWORD_CHARS:
            raise AccountError(f"password: at least {MIN_PASSWORD_CHARS} characters")
        created = _now().isoformat(timespec="seconds")
        try:
            with closing(self._connect()) as db, db:
                db.execute("INSERT INTO users VALUES (?, ?, ?)", (name, self._hasher.hash(password), created))
        except sqlite3.IntegrityError as exc:
            raise AccountError(f"user {name!r} already exists") from exc

    def names(self) -> list[str]:
        with closing(self._connect()) as db:
            return [name for (name,) in db.execute("SELECT name FROM users ORDER BY name")]

    def verify(self, name: str, password: str) -> bool:
        with closing(self._connect()) as db:
            row = db.execute("SELECT hash FROM users WHERE name = ?", (name,)).fetchone()
        if row is None:
            self._hasher.hash(password)  # spend the same time as for a real account
            return False
        try:
            self._hasher.verify(row[0], password)
        except (VerificationError, InvalidHashError):
            return False
        if self._hasher.check_needs_rehash(row[0]):
            with closing(self._connect()) as db, db:
                db.execute("UPDATE users SET hash = ? WHERE name = ?", (self._hasher.hash(password), name))
        return True

    def open_session(self, name: str) -> str:
        token = secrets.token_urlsafe(32)
        expires = (_now() + SESSION_LIFETIME).isoformat(timespec="seconds")
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM sessions WHERE expires_at < ?", (_now().isoformat(timespec="seconds"),))
            db.execute("INSERT INTO sessions VALUES (?, ?, ?)", (_digest(token), name, expires))
        return token

    def session_user(self, token: str) -> str | None:
        with closing(self._connect()) as db:
            row = db.execute(
                "SELECT sessions.user FROM sessions JOIN users ON users.name = sessions.user "
                "WHERE token_sha256 = ? AND expires_at > ?",
                (_digest(token), _now().isoformat(timespec="seconds")),
            ).fetchone()
        return row[0] if row else None

    def close_session(self, token: str) -> None:
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM sessions WHERE token_sha256 = ?", (_digest(token),))
