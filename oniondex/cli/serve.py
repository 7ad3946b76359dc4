"""`oniondex serve`: the analyst's web UI and JSON API on the index under ONIONDEX_DATA_DIR.

Binds 127.0.0.1 by default. With `--port 0` the system picks a free port; the first line printed says
which (`serving on http://HOST:PORT`), so tests and scripts need not guess.
"""

from __future__ import annotations

import argparse
import socket
from pathlib import Path

from oniondex import config


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="serve the analysts' web UI and JSON API")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    parser.add_argument("--index", default=None, help="index path or URL (default: ONIONDEX_INDEX_URL or data/index)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from web import create_app
    from web.accounts import AccountStore

    paths = config.layout(index_url=args.index)
    if not paths.index_is_remote and not Path(paths.index_url).exists():
        print(
            f"error: no index at {paths.index_url}: run `make demo` or a crawl first "
            "(or set ONIONDEX_DATA_DIR / ONIONDEX_INDEX_URL, or pass --index)"
        )
        return 2
    if not AccountStore(paths.accounts_db).names():
        print(f"note: no analyst accounts under {paths.data_dir} yet: create one with `oniondex user add NAME`")
    app = create_app(paths)
    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    host, port = sock.getsockname()[:2]
    print(f"serving on http://{host}:{port}", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", server_header=False, proxy_headers=False))
    server.run(sockets=[sock])
    return 0
