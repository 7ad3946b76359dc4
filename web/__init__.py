"""The analyst's desk: a server-rendered web UI and JSON API over the oniondex index.

`create_app(data_dir)` builds the FastAPI app; `oniondex serve` runs it. Every route but the login page
and the stylesheet needs a logged-in analyst, every data request is written to the audit log, and no
crawled markup is ever rendered: see `web/security.py`.
"""

from web.app import create_app

__all__ = ["create_app"]
