"""`oniondex crawl SEEDS`: crawl seed sites through Tor into the index, then print the summary."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from oniondex import config
from oniondex.memory import limit_malloc_arenas
from oniondex.seeds import Seed, SeedError, load_seeds_strict

DISCOVERED_FILE = "discovered.txt"
INTERRUPTED = 5  # the exit code of a crawl a stop signal ended (run the same command to resume it)
RESUME_HINT = "run the same command again to resume it"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("crawl", help="crawl the sites of a seed list through Tor")
    add_crawl_arguments(parser)
    parser.set_defaults(func=run)


def add_crawl_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("seeds", help="seed file (see seeds/README.md)")
    parser.add_argument("--proxy", default=None, help="Tor SOCKS proxy, socks5h://HOST:PORT (default: ONIONDEX_PROXY)")
    parser.add_argument("--depth", type=int, default=None, help="link hops from each seed (default 3)")
    parser.add_argument("--max-pages", type=int, default=None, help="pages per site (default 200)")
    parser.add_argument("--discover", action="store_true", help="also crawl onion sites linked from the seeds")
    parser.add_argument("--index", default=None, help="index path or URL (default: ONIONDEX_INDEX_URL or data/index)")
    parser.add_argument(
        "--redis", default=None, help="share the frontier with other workers in Redis, redis://HOST:PORT (REDIS_URL)"
    )
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="any Scrapy setting")


def crawl_settings(args: argparse.Namespace) -> dict[str, Any]:
    overrides: dict[str, Any] = {
        "ONIONDEX_PROXY": args.proxy if args.proxy is not None else config.proxy_url(),
        **config.layout(index_url=args.index).as_settings(),  # every data path, so the readers find them
    }
    if args.depth is not None:
        overrides["DEPTH_LIMIT"] = args.depth
    if args.max_pages is not None:
        overrides["ONIONDEX_MAX_PAGES_PER_SITE"] = args.max_pages
    if args.discover:
        overrides["ONIONDEX_DISCOVER"] = True
    redis_url = args.redis if getattr(args, "redis", None) is not None else os.environ.get("REDIS_URL", "")
    if redis_url:
        overrides["ONIONDEX_REDIS_URL"] = redis_url
    for pair in args.set:
        name, _, value = pair.partition("=")
        overrides[name] = value
    return overrides


def read_seeds(path: str) -> list[Seed] | None:
    """The seeds of a file, or None after printing why it cannot be crawled."""
    try:
        return load_seeds_strict(path)
    except SeedError as exc:
        print(f"error: the seed list has errors:\n{exc}")
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror}")
    return None


def run(args: argparse.Namespace) -> int:
    seeds = read_seeds(args.seeds)
    if seeds is None:
        return 2
    return crawl_seeds(seeds, args)


def crawl_seeds(seeds: list[Seed], args: argparse.Namespace) -> int:
    """Run one crawl in this process (Twisted's reactor runs once per process) and print its summary."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler.discovery import DiscoveryHub
    from crawler.frontier.repair import prepare_resume

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    overrides = crawl_settings(args)
    settings.setdict(overrides, priority="cmdline")
    prepare_resume(settings, overrides)  # an unfinished crawl on this data dir continues
    limit_malloc_arenas(settings.getint("ONIONDEX_MALLOC_ARENAS"))  # before the reactor and pools start threads
    process = CrawlerProcess(settings, install_root_handler=True)
    data_dir = Path(settings.get("ONIONDEX_DATA_DIR"))
    onions, channels = [s for s in seeds if not s.is_channel], [s for s in seeds if s.is_channel]
    # Telegram channels have their own spider, in the same process (crawler/spiders/telegram.py); the hub
    # carries what each discovers to the other (crawler/discovery.py).
    hub = DiscoveryHub(process, str(data_dir / DISCOVERED_FILE), settings.getbool("ONIONDEX_DISCOVER"))
    for spider, its_seeds in (("onion", onions), ("telegram", channels)):
        if its_seeds:
            hub.crawl(spider, its_seeds)
    started = time.time()
    process.start()
    if hub.failures:
        print(f"error: crawl refused: {hub.failures[0]}")
        return 3
    summaries = {
        kind: this_runs_summary(data_dir / name, started) for kind, name in SUMMARY_FILES.items() if hub.ran(kind)
    }
    if None in summaries.values():
        # A second stop signal stops the reactor before the close has written the summary (the captures,
        # index and frontier are flushed all the same: README, "Resuming a killed crawl").
        print(f"error: the crawl was interrupted before it could write its summary; {RESUME_HINT}")
        return INTERRUPTED
    onion = summaries.get("onion")
    if onion is not None:
        print_summary(onion)
        if onion["finish_reason"] == "tor_unavailable":
            print("error: Tor stopped answering for longer than ONIONDEX_TOR_OUTAGE_MAX_WAIT; the crawl was stopped")
            return 4
    if "telegram" in summaries:
        print_telegram_summary(summaries["telegram"])
    if any(hub.new.values()):
        how = "crawled too" if hub.discover else "crawl them with --discover"
        print(
            f"discovered: {hub.new['telegram']} new channels, {hub.new['onion']} new onion sites "
            f"(listed in {data_dir / DISCOVERED_FILE}; {how})"
        )
    if onion is not None and onion["finish_reason"] == "shutdown":  # Scrapy's reason for a close a signal began
        print(f"error: the crawl was stopped by a signal before it finished; {RESUME_HINT}")
        return INTERRUPTED
    return 0


SUMMARY_FILES = {"onion": "last-crawl.json", "telegram": "last-telegram-crawl.json"}


def this_runs_summary(path: Path, started: float) -> dict[str, Any] | None:
    """The summary at `path` if this run wrote it (an older crawl's may be there), else None."""
    try:
        if path.stat().st_mtime < started - 1:  # file times follow a coarser clock than time.time()
            return None
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not written, or cut short
        return None


def print_telegram_summary(summary: dict[str, Any]) -> None:
    print(
        f"telegram: {summary['channels']} channels, {summary['posts']} posts "
        f"({summary['edited']} edited, {summary['deleted']} deleted since the last crawl)"
    )
    if summary["no_preview"]:
        print(f"  no public preview: {', '.join(summary['no_preview'])}")


def print_summary(summary: dict[str, Any]) -> None:
    states = ", ".join(f"{n} {state}" for state, n in sorted(summary["sites"].items()))
    print(f"crawl finished ({summary['finish_reason']}): {summary['pages']} pages, {summary['entities']} entities")
    print(f"sites: {states}")
    if summary.get("needs_investigator"):  # walls (oniondex/sessions/walls.py): a person has to act
        waiting = ", ".join(f"{site} ({state})" for site, state in summary["needs_investigator"].items())
        print(f"need an investigator (a session: oniondex session add|login): {waiting}")
    for site, report in summary["per_site"].items():
        if report["state"] != "up":
            print(f"  {report['state']:>9}  {site}  {report['last_error'][:100]}")
        elif report["failures"]:
            slow = f", {report['timeouts']} timed out" if report["timeouts"] else ""
            failed = f"{report['pages']} pages, {report['failures']} failed{slow}"
            print(f"  {'up':>9}  {site}  {failed} (last: {report['last_error'][:80]})")
