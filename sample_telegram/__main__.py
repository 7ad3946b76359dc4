"""python -m sample_telegram serve | truth | seeds  [--seed N] [--epoch 1|2]"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence

from sample_darknet.server import RequestLog
from sample_telegram.server import TelegramServer
from sample_telegram.world import CHANNELS, DEFAULT_SEED, build_world


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sample_telegram", description="The oniondex sample Telegram.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("serve", "serve t.me on 127.0.0.1"),
        ("truth", "print the ground truth"),
        ("seeds", "seed list"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--seed", type=int, default=DEFAULT_SEED)
        sub.add_argument("--epoch", type=int, choices=(1, 2), default=1)
        if name == "serve":
            sub.add_argument("--port", type=int, default=0)
            sub.add_argument("--log", default=None, help="append one JSON line per request")
            sub.add_argument(
                "--flood", default="", help="flood mode: the n-th requests of each channel (1,4) get a flood notice"
            )
    args = parser.parse_args(argv)
    if args.command == "serve":
        flood = tuple(int(n) for n in args.flood.split(",") if n.strip())
        server = TelegramServer(build_world(args.seed, args.epoch), args.port, RequestLog(args.log), flood=flood)
        print(f"LISTENING {server.url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    elif args.command == "truth":
        json.dump(build_world(args.seed, args.epoch).truth(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        sys.stdout.write(seed_lines())
    return 0


def seed_lines() -> str:
    lines = ["# The sample Telegram's channels (python -m sample_telegram seeds). make demo crawls them."]
    for entry in CHANNELS:
        lang = "en" if entry.genre.startswith("en_") else "ko"
        lines.append(f"https://t.me/s/{entry.username}  tags=telegram,{lang}  case=sample")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
