"""`oniondex crawl SEEDS`: crawl seed sites through Tor into the index, then print the summary."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from oniondex import config
from oniondex.seeds import Seed, SeedError, load_seeds_strict


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

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict(crawl_settings(args), priority="cmdline")
    process = CrawlerProcess(settings, install_root_handler=True)
    failures: list[str] = []
    onions, channels = [s for s in seeds if not s.is_channel], [s for s in seeds if s.is_channel]
    # Telegram channels have their own spider, in the same process (crawler/spiders/telegram.py).
    for spider, its_seeds in (("onion", onions), ("telegram", channels)):
        if its_seeds:
            deferred = process.crawl(spider, seeds=its_seeds)
            deferred.addErrback(lambda failure: failures.append(failure.getErrorMessage()))
    process.start()
    if failures:
        print(f"error: crawl refused: {failures[0]}")
        return 3
    data_dir = Path(settings.get("ONIONDEX_DATA_DIR"))
    if onions:
        summary = json.loads((data_dir / "last-crawl.json").read_text(encoding="utf-8"))
        print_summary(summary)
        if summary["finish_reason"] == "tor_unavailable":
            print("error: Tor stopped answering for longer than ONIONDEX_TOR_OUTAGE_MAX_WAIT; the crawl was stopped")
            return 4
    if channels:
        print_telegram_summary(json.loads((data_dir / "last-telegram-crawl.json").read_text(encoding="utf-8")))
    return 0


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
