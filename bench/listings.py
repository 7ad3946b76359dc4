"""Listings and vendors CPU time per page on the real market pages (parse and entities excluded):
`listing_records` + `vendor_records`, generic extraction, per market, best of `--rounds`.

The pages are read at run time from ../shared/real-pages/pages/ (or --real DIR) and never copied into
the project.

    python bench/listings.py [--rounds 3] [--real DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from oniondex.entities.extract import extract_entities  # noqa: E402
from oniondex.listings.extract import listing_records  # noqa: E402
from oniondex.page import Page  # noqa: E402
from oniondex.vendors.records import vendor_records  # noqa: E402

REAL_PAGES = ROOT.parent / "shared" / "real-pages" / "pages"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--real", type=Path, default=REAL_PAGES)
    args = parser.parse_args()
    files = sorted(f for f in args.real.glob("*/*") if f.suffix in (".html", ".htm"))
    if not files:
        print(f"no real pages at {args.real}; nothing measured")
        return 0
    pages = [(f.parent.name, Page(f.resolve().as_uri(), f.read_bytes(), "text/html")) for f in files]
    entities = {id(page): list(extract_entities(page, "x")) for _, page in pages}  # parses each page too
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        spent: dict[str, float] = {}
        for market, page in pages:
            started = time.process_time()
            listings = listing_records(page, "x", [])
            vendor_records(page, entities[id(page)], listings, "x", [])
            spent[market] = spent.get(market, 0.0) + time.process_time() - started
        best = {m: min(t, best.get(m, t)) for m, t in spent.items()}
    count = {m: sum(1 for market, _ in pages if market == m) for m in best}
    for market, seconds in sorted(best.items()):
        print(f"{market:<20}{count[market]:>4} pages {1000 * seconds / count[market]:>8.1f} ms/page")
    total = sum(best.values())
    print(f"{'all':<20}{len(pages):>4} pages {1000 * total / len(pages):>8.1f} ms/page (listings + vendors, CPU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
