"""python -m sample_darknet serve | socks | truth | seeds  (see README in the package docstring)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from sample_darknet.seeds import seed_lines
from sample_darknet.server import LOOPBACK, DarknetServer, RequestLog
from sample_darknet.socks import SocksFront
from sample_darknet.world import DEFAULT_SEED, build_world


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return int(args.run(args) or 0)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sample_darknet", description="The oniondex sample darknet.")
    commands = parser.add_subparsers(required=True)
    for name, run, text in (
        ("serve", _serve, "serve every site over HTTP on 127.0.0.1"),
        ("socks", _socks, "a SOCKS5 front standing in for Tor"),
        ("truth", _truth, "print the ground truth as JSON"),
        ("seeds", _seeds, "print the seed list"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.set_defaults(run=run)
        sub.add_argument("--seed", type=int, default=DEFAULT_SEED)
        if name in ("serve", "socks"):
            sub.add_argument("--port", type=int, default=0)
            sub.add_argument("--log", default=None, help="append one JSON line per request/connection")
    commands.choices["socks"].add_argument("--upstream", required=True, help="http://127.0.0.1:PORT of serve")
    commands.choices["socks"].add_argument(
        "--telegram-upstream", default="", help="http://127.0.0.1:PORT of the sample Telegram (t.me, telegram.me)"
    )
    return parser


def _serve(args: argparse.Namespace) -> None:
    server = DarknetServer(build_world(args.seed), args.port, RequestLog(args.log))
    print(f"LISTENING {server.url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


def _socks(args: argparse.Namespace) -> None:
    upstream = urlsplit(args.upstream)
    if upstream.hostname != LOOPBACK:
        sys.exit(f"--upstream must be on {LOOPBACK}, got {args.upstream!r}")
    log = RequestLog(args.log)
    telegram = urlsplit(args.telegram_upstream) if args.telegram_upstream else None
    if telegram is not None and telegram.hostname != LOOPBACK:
        sys.exit(f"--telegram-upstream must be on {LOOPBACK}, got {args.telegram_upstream!r}")
    front = SocksFront(
        build_world(args.seed),
        (LOOPBACK, upstream.port or 80),
        log.write,
        (LOOPBACK, telegram.port or 80) if telegram is not None else None,
    )
    asyncio.run(_run_socks(front, args.port))


async def _run_socks(front: SocksFront, port: int) -> None:
    server = await asyncio.start_server(front.handle, LOOPBACK, port, limit=64 * 1024)
    print(f"LISTENING socks5h://{LOOPBACK}:{server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


def _truth(args: argparse.Namespace) -> None:
    json.dump(build_world(args.seed).truth(), sys.stdout, ensure_ascii=False, indent=1)
    print()


def _seeds(args: argparse.Namespace) -> Any:
    sys.stdout.write(seed_lines(build_world(args.seed)))


if __name__ == "__main__":
    sys.exit(main())
