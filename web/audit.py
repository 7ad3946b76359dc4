"""The audit log: one JSON line per search, view, export and login, with the analyst and the time.

`DATA_DIR/audit.jsonl`, opened O_APPEND (never truncated, never rewritten, mode 0600). Each entry is written
with a single `write`, so concurrent requests never interleave within a line.

Fields come from visitors (a user name typed at login, a query), so each line is bounded and inert: every
string is cut to `MAX_FIELD_CHARS`, a line to `MAX_LINE_BYTES` (its details dropped, `truncated` said), and
characters that could fake or hide lines in a viewer (controls, U+0085, U+2028/2029, bidi overrides such
as U+202E, zero-width and other format characters) are written as JSON `\\uXXXX` escapes, never raw.
Failed-login floods are bounded upstream: a throttled try is refused before it is logged (web/throttle.py).
"""

from __future__ import annotations

import json
import os
import re
import threading
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT
MAX_FIELD_CHARS = 512
MAX_LINE_BYTES = 8192
_NON_ASCII = re.compile(r"[^\x20-\x7e]")
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"}


def _bounded(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
        return value[:MAX_FIELD_CHARS] + f"…[{len(value) - MAX_FIELD_CHARS} more chars]"
    if isinstance(value, dict):
        return {_bounded(str(k)): _bounded(v) for k, v in list(value.items())[:50]}
    if isinstance(value, list | tuple):
        return [_bounded(v) for v in list(value)[:50]]
    return value


def _inert(char: re.Match[str]) -> str:
    c = char.group()
    return json.dumps(c)[1:-1] if unicodedata.category(c) in _UNSAFE_CATEGORIES else c  # \\uXXXX (pairs above BMP)


def encode_line(entry: dict[str, Any]) -> bytes:
    """One JSON line, readable (Korean stays Korean) but with no raw character that could break or fake a line."""
    text = json.dumps(_bounded(entry), ensure_ascii=False, sort_keys=True)
    line = _NON_ASCII.sub(_inert, text).encode("utf-8")
    if len(line) > MAX_LINE_BYTES:
        kept = {k: entry[k] for k in ("time", "user", "action") if k in entry}
        return encode_line({**kept, "truncated": len(line)})
    return line + b"\n"


class AuditLog:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def write(self, user: str, action: str, **detail: Any) -> dict[str, Any]:
        entry = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "user": user, "action": action, **detail}
        line = encode_line(entry)
        with self._lock:
            fd = os.open(self.path, _FLAGS, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
        return entry

    def entries(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as lines:
            return [json.loads(line) for line in lines if line.strip()]
