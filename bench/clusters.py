"""Clustering throughput: synthetic pages fed one by one to the cluster store (MinHash, LSH look-up,
SQLite writes), timed at checkpoints so growth shows; then the site clusters assembled from the store.

The synthetic web: sites of --pages-per-site pages of ~150 words from a 5,000-word vocabulary; one site in
five is a mirror of an earlier one (same texts, a footer word and one sentence changed), one in fifty an
address-swap clone (same texts, another payout address on its vendor page). Wall and CPU time are printed
per checkpoint segment: near-linear growth means a flat pages/s from segment to segment.

    python bench/clusters.py [--pages 100000] [--checkpoints 25000,50000,100000] [--pages-per-site 10]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from oniondex.clusters.store import ClusterStore  # noqa: E402
from oniondex.extraction import PageExtraction  # noqa: E402
from oniondex.vendors.records import Identifier, VendorRecord  # noqa: E402

VOCABULARY = [f"w{n}" for n in range(5_000)]


def site_texts(rng: random.Random, pages: int) -> list[str]:
    return [" ".join(rng.choices(VOCABULARY, k=150)) for _ in range(pages)]


def extraction(text: str, vendor_payout: str = "") -> PageExtraction:
    vendors = ()
    if vendor_payout:
        vendors = (VendorRecord("Seller", "seller", "", "", payout=(Identifier("BTC", vendor_payout),)),)
    return PageExtraction(title=text[:40], text=text, vendors=vendors)


def synthetic_sites(total: int, per_site: int, seed: int = 7):
    """(host, [(url, extraction)]) per site, and the planted (mirror, clone) counts."""
    rng = random.Random(seed)
    originals: list[tuple[list[str], str]] = []
    for n in range(-(-total // per_site)):
        host = f"{n:056d}"[-56:] + ".onion"
        kind = "mirror" if originals and n % 5 == 4 else "clone" if originals and n % 50 == 13 else "own"
        if kind == "own":
            texts, payout = site_texts(rng, per_site), f"payout-{n}"
            originals.append((texts, payout))
        else:
            texts, payout = rng.choice(originals)
            texts = [t + f" mirror{n}" for t in texts] if kind == "mirror" else texts
            payout = f"scam-{n}" if kind == "clone" else payout
        pages = [(f"http://{host}/p/{i}", extraction(t, payout if i == 0 else "")) for i, t in enumerate(texts)]
        yield host, kind, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--checkpoints", default="25000,50000,100000")
    parser.add_argument("--pages-per-site", type=int, default=10)
    args = parser.parse_args()
    checkpoints = sorted(int(c) for c in args.checkpoints.split(",") if int(c) <= args.pages)
    print(f"clustering {args.pages:,} synthetic pages ({args.pages_per_site} a site); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    planted = {"mirror": 0, "clone": 0}
    clone_hosts: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="bench-clusters-") as tmp:
        store = ClusterStore(Path(tmp) / "clusters.db")
        done, wall0, cpu0 = 0, time.perf_counter(), time.process_time()
        seg_wall, seg_cpu, seg_start = wall0, cpu0, 0
        print(f"{'pages':>8} {'segment pages/s':>16} {'CPU ms/page':>12} {'total wall s':>13}")
        for host, kind, pages in synthetic_sites(args.pages, args.pages_per_site):
            if done >= args.pages:
                break
            planted[kind] = planted.get(kind, 0) + 1
            if kind == "clone":
                clone_hosts.add(host)
            for url, page in pages:
                if done >= args.pages:
                    break
                store.add_page(url, url.split("/")[2], "2026-11-01T00:00:00Z", page)
                done += 1
                if done % 1000 == 0:
                    store.commit()
                if checkpoints and done == checkpoints[0]:
                    checkpoints.pop(0)
                    now, cpu = time.perf_counter(), time.process_time()
                    rate = (done - seg_start) / (now - seg_wall)
                    cpu_ms = (cpu - seg_cpu) * 1000 / (done - seg_start)
                    print(f"{done:>8,} {rate:>16.0f} {cpu_ms:>12.2f} {now - wall0:>13.1f}", flush=True)
                    seg_wall, seg_cpu, seg_start = now, cpu, done
        store.commit()
        start = time.perf_counter()
        clusters = store.clusters()
        assemble = time.perf_counter() - start
        flagged = {flag.site for c in clusters for flag in c.clones}
        print(f"assembled {len(clusters):,} clusters in {assemble:.1f} s; {len(flagged):,} sites flagged as clones, "
              f"{len(flagged & clone_hosts):,} of them planted clones (planted: {planted['mirror']:,} mirror and "
              f"{planted['clone']:,} clone sites)")  # fmt: skip
        size = (Path(tmp) / "clusters.db").stat().st_size
        print(f"store: {size / 1e6:.0f} MB ({size / max(done, 1):.0f} bytes a page)")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
