"""Extraction throughput: pages per second per core for entities + language + tags.

Uses the sample darknet's pages (sites that serve ordinary content: status up or slow) when
`sample_darknet` is importable, synthetic market-like pages otherwise. One process, CPU time
(`time.process_time`), best of `--rounds`, so the figure is per core and ignores other load.

    python bench/extraction.py [--rounds 3] [--synthetic N]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from oniondex.entities.codecs import base58check_encode, eip55, segwit_encode
from oniondex.entities.report import page_report
from oniondex.page import Page

BENCH_STATUSES = ("up", "slow")
P2PKH = b"\x00"


def sample_darknet_pages() -> list[Page] | None:
    try:
        from oniondex.quality.entities import world_pages
        from sample_darknet.world import build_world
    except ImportError:
        return None
    world = build_world()
    return [page for site, _spec, page in world_pages(world) if site.status in BENCH_STATUSES]


def synthetic_pages(count: int, seed: int = 7) -> list[Page]:
    rng = random.Random(seed)
    pages = []
    for number in range(count):
        rows = "".join(
            f"<tr><td>Product {i}</td><td>${rng.randint(10, 500)}.00</td>"
            f"<td><code>{segwit_encode('bc', 0, rng.randbytes(20))}</code></td>"
            f"<td>{base58check_encode(P2PKH, rng.randbytes(20))}</td><td>{eip55(rng.randbytes(20))}</td></tr>"
            for i in range(20)
        )
        body = f"<html><head><title>Shop {number}</title></head><body><p>Contact telegram @shop_{number}</p>"
        body += f"<table>{rows}</table><p>{'Lorem ipsum dolor sit amet. ' * 50}</p></body></html>"
        pages.append(Page(f"http://example{number}.onion/", body.encode()))
    return pages


def measure(pages: list[Page], rounds: int) -> tuple[float, int]:
    """(best CPU seconds for one pass over fresh copies of the pages, entities found)."""
    best, entities = float("inf"), 0
    for _ in range(rounds):
        fresh = [Page(p.url, p.body, p.content_type, p.status) for p in pages]  # no cached parse
        start = time.process_time()
        entities = sum(len(page_report(page, "2025-01-01T00:00:00Z")["entities"]) for page in fresh)
        best = min(best, time.process_time() - start)
    return best, entities


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--synthetic", type=int, default=0, help="use N synthetic pages instead of the sample darknet")
    args = parser.parse_args(argv)
    pages = None if args.synthetic else sample_darknet_pages()
    source = "sample darknet"
    if pages is None:
        pages, source = synthetic_pages(args.synthetic or 300), "synthetic"
    measure(pages[:20], 1)  # warm up: language model load, regex compilation, term list
    seconds, entities = measure(pages, args.rounds)
    megabytes = sum(len(p.body) for p in pages) / 1e6
    print(
        f"extraction: {len(pages)} {source} pages ({megabytes:.1f} MB, {entities} entities) in {seconds:.2f} s CPU "
        f"= {len(pages) / seconds:.0f} pages/s per core ({megabytes / seconds:.1f} MB/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
