"""The analyst's desk: a server-rendered web UI and JSON API over the oniondex index.

`create_app(data_dir)` builds the FastAPI app; `oniondex serve` runs it. Every route but the login page
and the stylesheet needs a logged-in analyst, every data request is written to the audit log, and no
crawled markup is ever rendered: see `web/security.py`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: `web.audit` is imported by every CLI command and the crawl's watch pipeline,
    # which must not pay for FastAPI and the whole app (seconds of CPU a process).
    if name == "create_app":
        from web.app import create_app

        return create_app
    raise AttributeError(f"module 'web' has no attribute {name!r}")
