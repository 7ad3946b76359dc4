"""CPU per page, stage by stage: page parse (decode, tree, the one reading of it: text, content text,
markup channels), links, entities, language, tags; listings (with vendors) alongside, for their owner.
Also entity P/R/F1 and language accuracy when the pages have truth.

CPU time (`time.process_time`) per stage, summed over the pages, best of `--rounds`: per core, and
less sensitive to other load than wall time (not immune: a shared machine still slows it). A bare lxml
parse of each body is timed alongside as a yardstick of the machine's speed at that moment, and the
machine and its load average are printed. Each page runs under the extraction processes' garbage-collector
policy (`oniondex.collector.collector_paused`, start-up frozen), and the collector's own time is a line
of its own, wherever it ran; `--collector default` runs Python's default instead, to compare.

    python bench/extraction_stages.py --real ../shared/real-pages   # reads pages + truth.json at run time
    python bench/extraction_stages.py --sample                      # the sample darknet's pages
    python bench/extraction_stages.py --synthetic 200               # 40 KB market-like pages
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import lxml.html

from oniondex.collector import collector_paused, freeze_start_up
from oniondex.entities.codecs import base58check_encode, segwit_encode
from oniondex.entities.extract import extract_entities
from oniondex.entities.report import page_language
from oniondex.extraction import _onion_links
from oniondex.page import Page
from oniondex.tagging import page_tag_result

STAGES = ("lxml alone", "parse", "links", "entities", "language", "tags", "listings", "collector")
OURS = ("parse", "links", "entities", "language", "tags")  # everything of extract_page but listings/vendors
P2PKH = b"\x00"
SCORED_TYPES = ("onion", "BTC", "XMR", "email", "pgp")  # the types real-pages/truth.json labels


def real_pages(root: Path) -> tuple[list[Page], dict[str, dict]]:
    truth = json.loads((root / "truth.json").read_text())
    return [Page(f"http://real.onion/{key}", (root / "pages" / key).read_bytes()) for key in truth], truth


def synthetic_pages(count: int, size: int = 40_000, seed: int = 7) -> list[Page]:
    """Market-like pages of about `size` bytes: a menu, 20 listing rows with addresses, prose."""
    rng = random.Random(seed)
    pages = []
    for number in range(count):
        menu = "".join(f'<li><a href="/c/{i}">Category {i}</a></li>' for i in range(30))
        rows = "".join(
            f'<tr><td><a href="/item/{rng.randint(1, 99999)}">Product {i}</a></td><td>${rng.randint(10, 500)}.00</td>'
            f"<td><code>{segwit_encode('bc', 0, rng.randbytes(20))}</code></td>"
            f"<td>{base58check_encode(P2PKH, rng.randbytes(20))}</td></tr>"
            for i in range(20)
        )
        body = (
            f"<html><head><title>Shop {number}</title><script>var x = {number};</script></head><body>"
            f"<nav><ul>{menu}</ul></nav><p>Contact telegram @shop_{number}</p><table>{rows}</table>"
        )
        prose = "<p>" + "Quality goods shipped worldwide with tracking and escrow. " * 10 + "</p>"
        while len(body) < size:
            body += prose
        pages.append(Page(f"http://example{number}.onion/", (body + "</body></html>").encode()))
    return pages


def one_round(pages: list[Page], listings: bool, policy: bool) -> tuple[dict[str, float], list[list]]:
    """One pass over the pages; with `policy`, each page in the extraction processes' collector policy.
    The cyclic garbage collector's time is its own line, taken out of the stage it ran in."""
    spent = dict.fromkeys(STAGES, 0.0)
    found: list[list] = []
    began = [0.0]

    def collecting(phase: str, info: dict) -> None:
        if phase == "start":
            began[0] = time.process_time()
        else:
            spent["collector"] += time.process_time() - began[0]

    def timed(stage: str, work: Callable[[], object]) -> None:
        start, collected = time.process_time(), spent["collector"]
        work()
        spent[stage] += time.process_time() - start - (spent["collector"] - collected)

    from oniondex.listings import listing_records
    from oniondex.vendors.records import vendor_records

    def extract(original: Page) -> None:
        timed("lxml alone", lambda: lxml.html.document_fromstring(original.body))
        page = Page(original.url, original.body, original.content_type)  # nothing cached
        timed("parse", lambda: (page.tree, page.text, page.title, page.content_text))
        timed("links", lambda: _onion_links(tuple(page.links), page.host))
        timed("entities", lambda: found.append(extract_entities(page, "2026-01-01T00:00:00Z")))
        timed("language", lambda: page_language(page))
        timed("tags", lambda: page_tag_result(page))
        if listings:
            timed("listings", lambda: vendor_records(
                page, found[-1], listing_records(page, "2026-01-01T00:00:00Z"), "2026-01-01T00:00:00Z"
            ))  # fmt: skip

    gc.callbacks.append(collecting)
    try:
        for original in pages:
            with collector_paused() if policy else contextlib.nullcontext():
                extract(original)
    finally:
        gc.callbacks.remove(collecting)
    return spent, found


def score(pages: list[Page], found: list[list], truth: dict[str, dict]) -> str:
    tp = fp = fn = right = 0
    for page, entities in zip(pages, found, strict=True):
        key = page.url.removeprefix("http://real.onion/")
        want = {(e["type"], e["value"].lower()) for e in truth[key]["entities"]}
        got = {(e.type, e.value.lower()) for e in entities if e.type in SCORED_TYPES}
        tp, fp, fn = tp + len(want & got), fp + len(got - want), fn + len(want - got)
        right += page_language(page) == truth[key]["language"]
    precision, recall = tp / ((tp + fp) or 1), tp / ((tp + fn) or 1)
    f1 = 2 * precision * recall / ((precision + recall) or 1)
    return (
        f"entities tp={tp} fp={fp} fn={fn} precision={precision:.3f} recall={recall:.3f} F1={f1:.3f}; "
        f"language {right}/{len(pages)}"
    )


def machine() -> str:
    load = os.getloadavg()[0]
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load average {load:.1f}"
        + (" (shared: other jobs compete for the cores)" if load > 1.5 else "")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, help="a real-pages folder (pages/ and truth.json)")
    parser.add_argument("--sample", action="store_true", help="the sample darknet's pages (without --real)")
    parser.add_argument("--synthetic", type=int, default=200, help="N synthetic 40 KB pages (without --real)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--listings", action="store_true", help="time listing and vendor extraction too")
    parser.add_argument(
        "--collector",
        choices=("policy", "default"),
        default="policy",
        help="the extraction processes' garbage-collector policy (default), or Python's default, to compare",
    )
    args = parser.parse_args(argv)
    truth: dict[str, dict] | None = None
    if args.real:
        pages, truth = real_pages(args.real)
        name = f"real pages in {args.real}"
    elif args.sample:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
        from extraction import sample_darknet_pages

        pages, name = sample_darknet_pages(), "sample darknet pages"
    else:
        pages, name = synthetic_pages(args.synthetic), "synthetic 40 KB pages"
    print(f"machine: {machine()}")
    policy = args.collector == "policy"
    one_round(pages[:10], args.listings, policy)  # warm up: models, regexes, term lists
    if policy:
        freeze_start_up()
    best, found = min((one_round(pages, args.listings, policy) for _ in range(args.rounds)),
                      key=lambda r: sum(r[0][stage] for stage in (*OURS, "listings", "collector")))  # fmt: skip
    megabytes = sum(len(p.body) for p in pages) / 1e6
    print(
        f"{name}: {len(pages)} pages, {megabytes:.1f} MB; CPU ms per page (process_time), best of {args.rounds}, "
        f"garbage collector: {args.collector}{' (as the extraction processes run)' if policy else ''}:"
    )
    for stage in STAGES:
        if stage != "listings" or args.listings:
            print(f"  {stage:<11} {1000 * best[stage] / len(pages):7.2f}")
    ours = sum(best[stage] for stage in OURS)
    print(
        f"{' + '.join(OURS)}: {1000 * ours / len(pages):.2f} ms/page = {len(pages) / ours:.0f} pages/s "
        f"per core ({ours / best['lxml alone']:.1f} x a bare lxml parse)"
    )
    total = ours + best["collector"] + (best["listings"] if args.listings else 0.0)
    print(
        f"with {'listings, vendors and ' if args.listings else ''}the collector: "
        f"{1000 * total / len(pages):.2f} ms/page = {len(pages) / total:.0f} pages/s"
    )
    if truth is not None:
        print(score(pages, found, truth))
    print(f"machine after: {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
