"""Extraction throughput: pages per second per core for `extract_page` (page fields, language, tags,
entities, listings, vendors), the one extraction the crawl runs on every page.

Three corpora, each reported on its own line:
- the sample darknet's pages (sites that serve ordinary content: status up or slow);
- synthetic market pages of about 40 KB each (listing cards, vendor links, addresses, prose);
- the real market pages in ../shared/real-pages/pages/ (or --real DIR), when present. They are read at run
  time and never copied into the project.

One process, CPU time (`time.process_time`), best of `--rounds`, so the figure is per core and ignores
other load (it does not ignore contention for caches and memory bandwidth on a shared machine).

    python bench/extraction.py [--rounds 3] [--synthetic 100] [--real DIR]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from oniondex.entities.codecs import base58check_encode, eip55, segwit_encode  # noqa: E402
from oniondex.extraction import extract_page  # noqa: E402
from oniondex.page import Page  # noqa: E402

BENCH_STATUSES = ("up", "slow")
P2PKH = b"\x00"
SYNTHETIC_BYTES = 40_000
REAL_PAGES = ROOT.parent / "shared" / "real-pages" / "pages"
_SUFFIXES = (".html", ".htm")


def sample_darknet_pages() -> list[Page]:
    from oniondex.quality.entities import world_pages
    from sample_darknet.world import build_world

    world = build_world()
    return [page for site, _spec, page in world_pages(world) if site.status in BENCH_STATUSES]


def synthetic_pages(count: int, seed: int = 7) -> list[Page]:
    """A vendor's shop page of about SYNTHETIC_BYTES: a card per listing (title link, price, vendor link,
    shipping, prose), payout addresses on every fifth card (about 35 entities a page)."""
    rng = random.Random(seed)
    pages = []
    for number in range(count):
        parts = [
            f"<html><head><meta charset='utf-8'><title>Shop {number} - Market</title></head><body>",
            "<nav><a href='/c/stimulants'>Stimulants</a> <a href='/c/opioids'>Opioids</a></nav>",
            f"<h1>Vendor shop_{number}</h1><p>Contact telegram @shop_{number}. 아이스 팝니다, 텔레그램 문의.</p>",
        ]
        item = 0
        while sum(map(len, parts)) < SYNTHETIC_BYTES:
            payout = (
                f"<p>BTC <code>{segwit_encode('bc', 0, rng.randbytes(20))}</code> or "
                f"{base58check_encode(P2PKH, rng.randbytes(20))}, ETH {eip55(rng.randbytes(20))}</p>"
                if item % 5 == 0
                else ""
            )
            parts.append(
                f"<div class='offer'><a href='/listing/{number}-{item}'>Product {item} {rng.randint(1, 28)}g</a>"
                f"<span class='price'>${rng.randint(10, 500)}.00</span>"
                f"<a href='/vendor/shop_{number}'>shop_{number}</a><p>Ships from Germany to Worldwide</p>{payout}"
                f"<p>{'Lorem ipsum dolor sit amet, consectetur adipiscing elit. ' * 6}</p></div>"
            )
            item += 1
        parts.append("</body></html>")
        pages.append(Page(f"http://example{number}.onion/vendor/shop_{number}", "".join(parts).encode()))
    return pages


def real_pages(root: Path) -> list[Page]:
    """Saved pages under root (one folder per market), as a crawl would fetch them."""
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in _SUFFIXES)
    return [Page(f"http://{path.parent.name}.example.onion/{path.stem}", path.read_bytes()) for path in files]


def measure(pages: list[Page], rounds: int) -> tuple[float, int, int, int]:
    """(best CPU seconds for one pass over fresh copies of the pages, entities, listings, vendors)."""
    best, found = float("inf"), (0, 0, 0)
    for _ in range(rounds):
        fresh = [Page(p.url, p.body, p.content_type, p.status) for p in pages]  # no cached parse
        start = time.process_time()
        results = [extract_page(page, "2025-01-01T00:00:00Z") for page in fresh]
        best = min(best, time.process_time() - start)
        found = tuple(sum(len(getattr(r, kind)) for r in results) for kind in ("entities", "listings", "vendors"))
    return (best, *found)


def report(name: str, pages: list[Page], rounds: int) -> None:
    seconds, entities, listings, vendors = measure(pages, rounds)
    megabytes = sum(len(p.body) for p in pages) / 1e6
    print(
        f"extraction, {name}: {len(pages)} pages ({megabytes:.1f} MB; {entities} entities, {listings} listings, "
        f"{vendors} vendors) in {seconds:.2f} s CPU = {len(pages) / seconds:.0f} pages/s per core "
        f"({megabytes / seconds:.1f} MB/s)",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--synthetic", type=int, default=100, help="synthetic 40 KB pages (0: none)")
    parser.add_argument("--real", type=Path, default=REAL_PAGES, help="saved real pages, one folder per market")
    args = parser.parse_args(argv)
    corpora: list[tuple[str, list[Page]]] = []
    try:
        corpora.append(("sample darknet", sample_darknet_pages()))
    except ImportError:
        print("extraction, sample darknet: skipped (sample_darknet is not importable)")
    if args.synthetic:
        corpora.append((f"synthetic {SYNTHETIC_BYTES // 1000} KB pages", synthetic_pages(args.synthetic)))
    if args.real.is_dir():
        corpora.append((f"real pages in {args.real}", real_pages(args.real)))
    else:
        print(f"extraction, real pages: skipped ({args.real} is not there)")
    warm_up = [page for _name, pages in corpora for page in pages[:5]]
    measure(warm_up, 1)  # language model load, regex compilation, term list, profiles
    for name, pages in corpora:
        if pages:
            report(name, pages, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
