"""Records the index could not take yet, kept on disk until it can.

`Spool` is an append-only JSON-lines file (one page record a line, flushed and fsynced per batch).
`replay(send)` first renames it to `<name>.replaying`, so new records keep going to a fresh file, then sends
the renamed file in batches and deletes it only once all of it was accepted. If the index fails again half
way, the `.replaying` file is kept and replayed first next time; writes are idempotent (documents.py), so
sending a record twice is harmless and no record is lost.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPLAY_BATCH = 200


class Spool:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.replaying = self.path.with_name(self.path.name + ".replaying")

    def __bool__(self) -> bool:
        return self.path.exists() or self.replaying.exists()

    def append(self, records: list[dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as spool:
            spool.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
            spool.flush()
            os.fsync(spool.fileno())

    def pending(self) -> int:
        return sum(1 for path in (self.replaying, self.path) if path.exists() for _ in path.open(encoding="utf-8"))

    def replay(self, send: Callable[[list[dict[str, Any]]], None]) -> int:
        """Send everything spooled, oldest first; `send` raising leaves the rest for next time."""
        sent = 0
        while self:
            if not self.replaying.exists():
                self.path.rename(self.replaying)
            for batch in _batches(self.replaying):
                send(batch)
                sent += len(batch)
            self.replaying.unlink()
        return sent


def _batches(path: Path) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                batch.append(json.loads(line))
            if len(batch) >= REPLAY_BATCH:
                yield batch
                batch = []
    if batch:
        yield batch
