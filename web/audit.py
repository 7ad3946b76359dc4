"""The audit log: one JSON line per search, view, export and login, with the analyst and the time.

`DATA_DIR/audit.jsonl`, opened O_APPEND (never truncated, never rewritten, mode 0600). Each entry is written
with a single `write`, so concurrent requests never interleave within a line.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT


class AuditLog:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def write(self, user: str, action: str, **detail: Any) -> dict[str, Any]:
        entry = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "user": user, "action": action, **detail}
        line = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
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
