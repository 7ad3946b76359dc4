"""Telegram throughput: posts per second crawled through the SOCKS stand-in, and parsed per core.

Crawl: `oniondex crawl seeds/sample-telegram.txt` (every pipeline: entities, tags, listings, WARC, index)
against the sample Telegram behind the SOCKS stand-in for Tor, wall time of the whole crawl (it includes
the sample's three HTTP 429 waits and Scrapy's start-up). Parse: the preview parser alone on every
sample page, CPU time, best of --rounds.

    python bench/telegram.py [--rounds 3] [--max-posts 300]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from oniondex.telegram.preview import parse_preview  # noqa: E402
from sample_darknet.testing import running_socks_front  # noqa: E402
from sample_telegram.markup import preview_page  # noqa: E402
from sample_telegram.testing import running_telegram  # noqa: E402
from sample_telegram.world import build_world  # noqa: E402


def crawl_rate(max_posts: int) -> tuple[int, int, float]:
    with (
        tempfile.TemporaryDirectory(prefix="bench-telegram-") as data,
        running_telegram() as telegram,
        running_socks_front(telegram.url, telegram_url=telegram.url) as socks,
    ):
        env = {**os.environ, "ONIONDEX_DATA_DIR": data}
        env.pop("ONIONDEX_INDEX_URL", None)
        command = [
            sys.executable, "-m", "oniondex", "crawl", str(ROOT / "seeds" / "sample-telegram.txt"),
            "--proxy", socks.url, "-s", "ONIONDEX_TELEGRAM_BASE_URL=http://t.me",
            "-s", f"ONIONDEX_TELEGRAM_MAX_POSTS={max_posts}", "-s", "LOG_LEVEL=WARNING",
        ]  # fmt: skip
        started = time.perf_counter()
        subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
        elapsed = time.perf_counter() - started
        summary = json.loads((Path(data) / "last-telegram-crawl.json").read_text(encoding="utf-8"))
    return summary["posts"], summary["channels"], elapsed


def parse_rate(rounds: int) -> tuple[int, float]:
    world = build_world()
    pages = []
    for channel in world.channels.values():
        if channel.has_preview:
            ids = [p.id for p in channel.posts]
            pages += [(channel.username, preview_page(channel, before=i)) for i in ids[20::20]]
    best = float("inf")
    posts = 0
    for _ in range(rounds):
        started = time.process_time()
        posts = sum(len(parse_preview(html, name).posts) for name, html in pages)
        best = min(best, time.process_time() - started)
    return posts, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-posts", type=int, default=300)
    args = parser.parse_args()
    posts, seconds = parse_rate(args.rounds)
    print(f"telegram parse: {posts} posts in {seconds:.2f} s CPU = {posts / seconds:,.0f} posts/s per core")
    crawled, channels, elapsed = crawl_rate(args.max_posts)
    print(
        f"telegram crawl through the SOCKS stand-in: {crawled} posts from {channels} channels in {elapsed:.1f} s"
        f" = {crawled / elapsed:,.1f} posts/s (wall, whole crawl with every pipeline)"
    )


if __name__ == "__main__":
    main()
