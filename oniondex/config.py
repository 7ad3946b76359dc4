"""Where things live, from the environment (or a crawl's Scrapy settings) with sensible defaults.

`layout()` is the one place the data paths are derived: the crawl (from its settings, `layout_of`), every
CLI command and the web UI read their paths from the `DataLayout` it returns, so a setting such as
`ONIONDEX_VENDOR_DB` means the same to the crawl that writes the file and to every reader.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Crawl setting (and environment variable) → DataLayout field, for the paths that can be moved one by one
# (defaults and why in crawler/settings.py). ONIONDEX_AUDIT_LOG, the web UI's alone, moves the audit log.
PATH_SETTINGS = {
    "ONIONDEX_WARC_DIR": "warc_dir",
    "ONIONDEX_VENDOR_DB": "vendor_db",
    "ONIONDEX_INDEX_SPOOL": "spool",
    "ONIONDEX_INDEX_DEAD_LETTER": "dead_letter",
    "ONIONDEX_TELEGRAM_STATE": "telegram_db",
    "ONIONDEX_CLUSTER_DB": "cluster_db",
    "ONIONDEX_WATCH_DB": "watch_db",
}


@dataclass(frozen=True)
class DataLayout:
    """Every path of a crawl's data: DATA_DIR/… unless its own setting moves it."""

    data_dir: Path
    index_url: str  # a path (the embedded index) or http(s)://… (Elasticsearch)
    warc_dir: Path
    vendor_db: Path
    telegram_db: Path  # per channel: newest post id seen, recent posts' hashes
    spool: Path
    dead_letter: Path
    audit_log: Path
    sites_db: Path
    accounts_db: Path
    last_crawl: Path
    frontier_dir: Path  # per spider: pending requests and seen set, written as the crawl goes (crawler/frontier/)
    sessions: Path  # investigators' site sessions, encrypted (oniondex/sessions/store.py)
    cluster_db: Path  # mirror and clone clusters: page sketches and identifiers (oniondex/clusters/)
    watch_db: Path  # watchlists and alerts (oniondex/watch/)

    @property
    def index_is_remote(self) -> bool:
        return self.index_url.startswith(("http://", "https://"))

    def as_settings(self) -> dict[str, str]:
        """The layout as crawl settings, so the crawl writes where every reader looks."""
        return {
            "ONIONDEX_DATA_DIR": str(self.data_dir),
            "ONIONDEX_INDEX_URL": self.index_url,
            **{name: str(getattr(self, field)) for name, field in PATH_SETTINGS.items()},
        }


def layout(data_dir: str | Path | None = None, index_url: str | None = None) -> DataLayout:
    """The layout from the environment; `data_dir`/`index_url` (a command's options) win over it."""
    return _build(os.environ.get, data_dir, index_url)


def layout_of(settings: Any) -> DataLayout:
    """The layout from a crawl's Scrapy settings (the same names as the environment variables)."""
    return _build(settings.get)


def _build(get: Callable[[str], Any], data_dir: str | Path | None = None, index_url: str | None = None) -> DataLayout:
    data = Path(data_dir or get("ONIONDEX_DATA_DIR") or "data")

    def path(name: str, default: str) -> Path:
        return Path(get(name) or data / default)

    return DataLayout(
        data_dir=data,
        index_url=str(index_url or get("ONIONDEX_INDEX_URL") or data / "index"),
        warc_dir=path("ONIONDEX_WARC_DIR", "warc"),
        vendor_db=path("ONIONDEX_VENDOR_DB", "vendors.db"),
        telegram_db=path("ONIONDEX_TELEGRAM_STATE", "telegram.db"),
        spool=path("ONIONDEX_INDEX_SPOOL", "index-spool.jsonl"),
        dead_letter=path("ONIONDEX_INDEX_DEAD_LETTER", "index-dead-letter.jsonl"),
        audit_log=path("ONIONDEX_AUDIT_LOG", "audit.jsonl"),
        sites_db=data / "sites.db",
        accounts_db=data / "accounts.db",
        last_crawl=data / "last-crawl.json",
        frontier_dir=data / "frontier",
        sessions=data / "sessions.enc",
        cluster_db=path("ONIONDEX_CLUSTER_DB", "clusters.db"),
        watch_db=path("ONIONDEX_WATCH_DB", "watch.db"),
    )


def data_dir() -> Path:
    """Crawl data (index, captures, state): ONIONDEX_DATA_DIR, default ./data."""
    return layout().data_dir


def index_url() -> str:
    """The index: ONIONDEX_INDEX_URL (a path, or http(s):// for Elasticsearch), default DATA_DIR/index."""
    return layout().index_url


def proxy_url() -> str:
    """The Tor SOCKS proxy: ONIONDEX_PROXY; empty means no crawl."""
    return os.environ.get("ONIONDEX_PROXY", "")
