"""Extraction in worker processes (ONIONDEX_EXTRACT_PROCESSES): the same result as on the crawl's own
thread (the cluster sketch made there too), and a worker that dies costs no page."""

from __future__ import annotations

import os
import signal

from oniondex.clusters.shingles import page_sketch
from oniondex.extraction import extract_page
from oniondex.page import Page
from oniondex.records import PageRecord
from pipelines.extraction import ExtractionPipeline
from pipelines.offload import Offload

HTML = (
    "<html><head><title>Ice shop</title></head><body><p>ice 1g, telegram @IceKing_KR</p>"
    "<p>BTC: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2</p><a href='/next'>next</a></body></html>"
)


def record() -> PageRecord:
    page = Page("http://example.onion/ad", HTML.encode())
    page.links  # noqa: B018 (the spider has parsed it: its cached tree does not pickle)
    return PageRecord(url=page.url, site=page.host, fetched_at="2025-01-01T00:00:00Z", status=200, page=page)


def test_a_worker_process_extracts_what_the_thread_would_and_survives_a_dead_worker() -> None:
    pipeline = ExtractionPipeline(offload=Offload("extraction", threads=1, limit=4), processes=1, sketches=True)
    pipeline.open_spider()
    try:
        item = record()
        expected = extract_page(item.page, item.fetched_at)
        sketched = (expected, page_sketch(expected))  # the cluster store's own sketch of the page
        assert pipeline._extract(item) == sketched
        assert pipeline.pool is not None
        first = pipeline.pool
        (worker,) = first._processes
        os.kill(worker, signal.SIGKILL)
        # Extracted on the thread, once the pool broke; the cluster store sketches that page itself.
        assert pipeline._extract(record()) == (expected, None)
        assert pipeline.pool is not first
        assert pipeline._extract(record()) == sketched  # and the new processes take the next pages
    finally:
        pipeline._stop()
