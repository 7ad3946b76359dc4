"""Extraction in worker processes (ONIONDEX_EXTRACT_PROCESSES): the same result as on the crawl's own
thread (the cluster sketch made there too), a worker that dies costs no page, and workers do not outlive a
killed crawl."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from oniondex.clusters.shingles import page_sketch
from oniondex.extraction import extract_page
from oniondex.page import Page
from oniondex.records import PageRecord
from pipelines.extraction import ExtractionPipeline
from pipelines.offload import Offload

ROOT = Path(__file__).resolve().parents[2]

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


_HOLDER = """
import sys, time
from pipelines.extraction import ExtractionPipeline
from pipelines.offload import Offload
pipeline = ExtractionPipeline(offload=Offload("extraction", threads=1, limit=1), processes=1)
pipeline.open_spider()
pipeline.pool.submit(time.sleep, 0).result()  # the worker is up
print(*pipeline.pool._processes, flush=True)
time.sleep(120)
"""


def test_workers_exit_when_the_crawl_process_is_killed() -> None:
    # SIGKILL gives the pool no shutdown: without their watch on the parent the workers would wait for ever.
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        workers = [int(pid) for pid in holder.stdout.readline().split()]  # type: ignore[union-attr]
        assert workers
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
