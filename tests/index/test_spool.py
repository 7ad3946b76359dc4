"""pipelines/index.py: a batch the index cannot take is spooled to disk and replayed, none lost."""

import json

import pytest
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

import pipelines.index
from oniondex.index import BulkResult, FailedDocument, IndexUnavailable
from oniondex.index.embedded import EmbeddedIndex
from oniondex.index.spool import Spool
from pipelines.index import IndexPipeline
from tests.index.records import crawl_records


class DownableIndex(EmbeddedIndex):
    """The embedded index, switched off and on like a server."""

    down = False
    reject: frozenset[str] = frozenset()

    def add_pages(self, documents):
        if self.down:
            raise IndexUnavailable("the test switched the index off")
        documents = list(documents)
        kept = [d for d in documents if d["id"] not in self.reject]
        result = super().add_pages(kept)
        failed = [
            FailedDocument(d["id"], "pages", "mapper_parsing_exception", "", d) for d in documents if d not in kept
        ]
        return BulkResult(result.indexed, failed)


@pytest.fixture
def pipeline(tmp_path, monkeypatch):
    index = DownableIndex(tmp_path / "index")
    monkeypatch.setattr(pipelines.index, "open_index", lambda url: index)
    settings = {"ONIONDEX_INDEX_URL": "unused", "ONIONDEX_INDEX_BATCH": 5, "ONIONDEX_DATA_DIR": str(tmp_path)}
    crawler = get_crawler(settings_dict=settings)
    built = build_from_crawler(IndexPipeline, crawler)
    built.open_spider()
    return built, index, crawler.stats


def test_index_down_mid_crawl_loses_no_record(pipeline, tmp_path):
    built, index, stats = pipeline
    records = crawl_records(60)
    for n, record in enumerate(records):
        index.down = 20 <= n < 40
        built.process_item(record)
    built.close_spider()
    assert EmbeddedIndex(tmp_path / "index").count() == 60
    assert {k: v for k, v in stats.get_stats().items() if k.startswith("oniondex/index/")} == {
        "oniondex/index/records": 60,
        "oniondex/index/pages": 60,
        "oniondex/index/spooled": 20,
        "oniondex/index/replayed": 20,
        "oniondex/index/unavailable": 4,  # the batch that found it down, then three replays before it came back
    }
    assert not Spool(tmp_path / "index-spool.jsonl")


def test_index_still_down_at_close_keeps_the_spool_for_next_time(pipeline, tmp_path):
    built, index, stats = pipeline
    index.down = True
    for record in crawl_records(12):
        built.process_item(record)
    built.close_spider()
    assert stats.get_value("oniondex/index/spool_pending") == 12
    index.down = False
    sent = Spool(tmp_path / "index-spool.jsonl").replay(index.add_pages)
    index.commit()
    assert (sent, index.count()) == (12, 12)


def test_rejected_documents_go_to_the_dead_letter_file(pipeline, tmp_path):
    built, index, stats = pipeline
    index.reject = {f"http://{'c' * 52}cccd.onion/p3"}
    for record in crawl_records(5):
        built.process_item(record)
    built.close_spider()
    assert stats.get_value("oniondex/index/bulk_failed/mapper_parsing_exception") == 1
    [row] = [json.loads(line) for line in (tmp_path / "index-dead-letter.jsonl").read_text().splitlines()]
    assert (row["id"], row["reason"], row["document"]["title"]) == (
        f"http://{'c' * 52}cccd.onion/p3",
        "mapper_parsing_exception",
        "page 3",
    )


def test_a_replay_that_fails_half_way_keeps_the_rest(tmp_path):
    spool = Spool(tmp_path / "spool.jsonl")
    spool.append([{"n": n} for n in range(450)])
    calls = []

    def flaky(batch):
        calls.append(len(batch))
        if len(calls) == 2:
            raise IndexUnavailable("down again")

    with pytest.raises(IndexUnavailable):
        spool.replay(flaky)
    spool.append([{"n": 450}])
    assert spool.pending() == 451
    received = []
    assert spool.replay(received.extend) == 451
    assert [r["n"] for r in received] == list(range(451))
    assert not spool
