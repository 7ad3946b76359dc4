"""The session store: every investigator session in one file under the data dir, encrypted at rest.

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) under a key derived with scrypt from a
passphrase (ONIONDEX_SESSION_KEY, or a prompt) and a random salt kept beside the ciphertext. Without the
passphrase the file says nothing: not the sites, not the cookie names. Writes are atomic (a crash leaves the
old file), the file is mode 0600.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from oniondex.sessions.model import LoginProfile, Session, StoredCookie

KEY_ENV = "ONIONDEX_SESSION_KEY"
FORMAT = "oniondex-sessions/1"


class SessionStoreError(RuntimeError):
    """The store cannot be opened (no key, wrong key, damaged file) or has no such session."""


def _fernet(passphrase: str, salt: bytes) -> Fernet:
    key = Scrypt(salt=salt, length=32, n=2**14, r=8, p=1).derive(passphrase.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def key_from_env() -> str:
    key = os.environ.get(KEY_ENV, "")
    if not key:
        raise SessionStoreError(f"no session key: set {KEY_ENV} (a passphrase) to open the session store")
    return key


class SessionStore:
    def __init__(self, path: str | Path, passphrase: str) -> None:
        if not passphrase:
            raise SessionStoreError(f"empty session key: set {KEY_ENV}")
        self.path = Path(path)
        self._passphrase = passphrase
        self._salt, self.sessions = self._read()

    def _read(self) -> tuple[bytes, dict[str, Session]]:
        if not self.path.exists():
            return os.urandom(16), {}
        try:
            wrapper = json.loads(self.path.read_text(encoding="utf-8"))
            salt = base64.b64decode(wrapper["salt"])
            plain = _fernet(self._passphrase, salt).decrypt(wrapper["data"].encode())
        except InvalidToken as exc:
            raise SessionStoreError(f"{self.path}: wrong session key ({KEY_ENV}) or a damaged file") from exc
        except (ValueError, KeyError) as exc:
            raise SessionStoreError(f"{self.path}: not a session store ({exc})") from exc
        return salt, {item["name"]: _session(item) for item in json.loads(plain)}

    def get(self, name_or_site: str) -> Session:
        found = self.sessions.get(name_or_site) or next(
            (s for s in self.sessions.values() if s.site == name_or_site), None
        )
        if found is None:
            known = ", ".join(sorted(self.sessions)) or "none"
            raise SessionStoreError(f"no session {name_or_site!r} in {self.path} (sessions: {known})")
        return found

    def put(self, session: Session) -> None:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        self.sessions[session.name] = replace(session, updated=stamp)
        self.save()

    def remove(self, name: str) -> None:
        self.sessions.pop(self.get(name).name)
        self.save()

    def save(self) -> None:
        plain = json.dumps([asdict(s) for s in self.sessions.values()]).encode()
        token = _fernet(self._passphrase, self._salt).encrypt(plain).decode()
        body = json.dumps({"format": FORMAT, "salt": base64.b64encode(self._salt).decode(), "data": token})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".sessions-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(body)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _session(item: dict) -> Session:
    profile = LoginProfile(**item["profile"]) if item.get("profile") else None
    cookies = tuple(StoredCookie(**c) for c in item.get("cookies", ()))
    return Session(**{**item, "cookies": cookies, "profile": profile})
