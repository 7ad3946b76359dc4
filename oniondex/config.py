"""Where things live, from the environment with sensible defaults. Read once per command."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """Crawl data (index, captures, state): ONIONDEX_DATA_DIR, default ./data."""
    return Path(os.environ.get("ONIONDEX_DATA_DIR", "data"))


def index_url() -> str:
    """The index: ONIONDEX_INDEX_URL (a path, or http(s):// for Elasticsearch), default DATA_DIR/index."""
    return os.environ.get("ONIONDEX_INDEX_URL") or str(data_dir() / "index")


def proxy_url() -> str:
    """The Tor SOCKS proxy: ONIONDEX_PROXY; empty means no crawl."""
    return os.environ.get("ONIONDEX_PROXY", "")
