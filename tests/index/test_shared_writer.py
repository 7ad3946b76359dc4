"""pipelines/index.py: the onion and the Telegram spider crawl in one process, each with its own index
pipeline; an embedded index takes one writer, so both must write through one index (the demo once showed
"0 pages" because the second pipeline found tantivy's lock taken)."""

from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from oniondex.index.embedded import EmbeddedIndex
from oniondex.index.spool import Spool
from pipelines.index import IndexPipeline
from tests.index.records import crawl_records


def _pipeline(tmp_path):
    settings = {
        "ONIONDEX_INDEX_URL": str(tmp_path / "index"),
        "ONIONDEX_INDEX_BATCH": 4,
        "ONIONDEX_DATA_DIR": str(tmp_path),
    }
    built = build_from_crawler(IndexPipeline, get_crawler(settings_dict=settings))
    built.open_spider()
    return built


def test_two_crawls_in_one_process_index_every_page_through_one_writer(tmp_path):
    onion, telegram = _pipeline(tmp_path), _pipeline(tmp_path)
    first, second = list(crawl_records(10, "a" * 52 + "aaad.onion")), list(crawl_records(10, "b" * 52 + "bbbd.onion"))
    for a, b in zip(first, second, strict=True):
        onion.process_item(a)
        telegram.process_item(b)
    onion.close_spider()
    telegram.process_item(next(crawl_records(11, "b" * 52 + "bbbd.onion", "2026-11-22T10:00:00+00:00")))
    telegram.close_spider()  # the last one closes the index and releases its lock
    assert EmbeddedIndex(tmp_path / "index").count() == 20
    assert not Spool(tmp_path / "index-spool.jsonl")  # nothing waited for the index
