"""The `oniondex` command. Each subcommand is a module here with `register(subparsers)`."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

# One module per subcommand, in the order `oniondex --help` lists them.
SUBCOMMANDS = (
    "seeds",
    "crawl",
    "recrawl",
    "search",
    "index",
    "vendor",
    "clusters",
    "extract",
    "profile",
    "quality",
    "evidence",
    "export",
    "reindex",
    "tor",
    "serve",
    "user",
    "session",
    "demo",
    "watch",
    "alerts",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="oniondex", description="Crawl, extract and search Tor onion sites.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(f"oniondex.cli.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command not in ("crawl", "recrawl", "demo"):  # crawls log through Scrapy's own handler (LOG_LEVEL)
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # The reader went away (`oniondex search … | head`): not an error. Point stdout at /dev/null so the
        # interpreter's final flush does not raise again (Python's documented recipe).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
