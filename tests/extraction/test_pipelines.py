"""The pipelines as thin adapters over extract_page, and their work off the reactor thread."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from oniondex.page import Page
from oniondex.records import PageRecord
from pipelines.extraction import ExtractionPipeline
from pipelines.offload import Offload

ROOT = Path(__file__).resolve().parents[2]
HTML = (
    "<html><head><title>아이스 판매</title></head><body><p>아이스 1g 15만원 텔레그램 @IceKing_KR 문의</p>"
    "<p>BTC: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2</p></body></html>"
)


def record() -> PageRecord:
    page = Page("http://example.onion/ad", HTML.encode())
    return PageRecord(url=page.url, site=page.host, fetched_at="2025-01-01T00:00:00Z", status=200, page=page)


def test_extraction_pipeline_sets_the_typed_extraction_and_stats() -> None:
    crawler = get_crawler()
    pipeline = ExtractionPipeline.from_crawler(crawler)
    assert pipeline.offload.inline  # ONIONDEX_OFF_REACTOR is crawler/settings.py's, not Scrapy's default
    item = pipeline.process_item(record(), None)
    assert item.language == "ko"
    assert item.tags == ("methamphetamine",)
    assert [(e.type, e.value, e.seen_at) for e in item.entities] == [
        ("telegram", "iceking_kr", "2025-01-01T00:00:00Z"),
        ("BTC", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "2025-01-01T00:00:00Z"),
    ]
    assert item.title == "아이스 판매"
    assert item.sha256 == item.page.sha256
    stats = crawler.stats.get_stats()
    expected = {
        "oniondex/entities/pages": 1,
        "oniondex/entities/BTC": 1,
        "oniondex/entities/telegram": 1,
        "oniondex/language/ko": 1,
        "oniondex/tags/methamphetamine": 1,
        "oniondex/listings/pages": 1,
    }
    assert {key: stats.get(key) for key in expected} == expected


def test_extraction_pipeline_passes_other_items() -> None:
    other = {"url": "x"}
    assert ExtractionPipeline().process_item(other) is other


def test_an_offload_needs_threads_and_room() -> None:
    assert Offload("x", threads=0, limit=1).inline
    for threads, limit in ((-1, 1), (1, 0)):
        with pytest.raises(ValueError, match=r"^x: "):
            Offload("x", threads, limit)


def test_offload_runs_calls_of_one_key_in_order_and_others_side_by_side() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "extraction" / "offload_run.py")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["order"]["a"] == list(range(0, 60, 3))
    assert result["order"]["b"] == list(range(1, 60, 3))
    assert sorted(result["order"]["none"]) == list(range(2, 60, 3))
    assert 2 <= result["most_running"] <= result["threads"]
    assert result["results"] == list(range(60))


def test_a_hung_index_does_not_stall_the_crawl_and_every_record_arrives(tmp_path) -> None:
    """The index's first write hangs until the crawl has downloaded every page: written on the reactor
    thread, that would stall the crawl (the index gives up after a minute and says so)."""
    pages = 24
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "extraction" / "hung_index_crawl.py"), str(tmp_path), str(pages)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "returned a Deferred" not in done.stderr  # Scrapy gets coroutines, as it asks
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["released_by_crawl"] is True
    assert result["responses"] == pages
    assert (result["indexed"], result["urls"]) == (pages, pages)
    assert result["stats"]["oniondex/index/records"] == result["stats"]["oniondex/index/pages"] == pages
    assert result["stats"]["oniondex/entities/telegram"] == pages
    assert result["vendors"] == sorted(f"dealer_{n}" for n in range(pages))
