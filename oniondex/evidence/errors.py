"""The evidence package's errors. Each carries the path it is about."""

from __future__ import annotations

from pathlib import Path


class EvidenceError(RuntimeError):
    """Something about captured evidence went wrong; `path` is the file or folder concerned."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class WarcWriteError(EvidenceError):
    """A capture could not be written: the fetch is not kept, so the crawl must not go on quietly."""


class ExportError(EvidenceError):
    """An evidence export could not be made (nothing matched, the output folder is not empty, …)."""
