"""The sample darknet crawled into Elasticsearch: a recrawl duplicates nothing, and Korean and English
queries return the same pages from Elasticsearch and from the embedded index given the same records."""

import pytest
from elasticsearch import Elasticsearch

from oniondex.index import SearchQuery
from oniondex.index.documents import KINDS
from oniondex.index.elastic import ElasticIndex
from oniondex.index.embedded import EmbeddedIndex
from tests.conftest import SAMPLE_SEEDS, run_crawl

pytestmark = pytest.mark.es
QUERIES = [
    "escrow",
    "vendor",
    "아이스",
    "작대기",
    "던지기",
    "텔레그램",
    "shipping OR 배송",
    "market -forum",
    '"bitcoin address"',
]
CRAWL = ("--depth", "2", "--max-pages", "25", "-s", "DOWNLOAD_TIMEOUT=4")


def crawl_into(data_dir, socks_front, index_url):
    run = run_crawl(data_dir, SAMPLE_SEEDS, socks_front.url, "--index", str(index_url), *CRAWL)
    assert run.returncode == 0, run.output[-3000:]


def urls(index, text):
    return {hit.url for hit in index.search(SearchQuery(text=text, limit=10_000)).hits}


def test_recrawl_and_same_hits_as_embedded(es_url, prefix, socks_front, tmp_path):
    crawl_into(tmp_path / "data", socks_front, f"{es_url}/{prefix}")
    elastic = ElasticIndex(Elasticsearch(es_url, request_timeout=60), prefix=prefix)
    before = {kind: elastic.count(kind) for kind in KINDS}
    assert before["pages"] > 20
    assert before["entities"] > 0
    crawl_into(tmp_path / "data", socks_front, f"{es_url}/{prefix}")
    after = {kind: elastic.count(kind) for kind in KINDS}
    # The crawl caps pages per site, so a recrawl may reach a page the first one did not: only such pages
    # may add documents. Unchanged pages add no version and no duplicate.
    new_pages = after["pages"] - before["pages"]
    assert 0 <= new_pages <= 3
    assert after["versions"] - before["versions"] == new_pages
    assert after["sites"] == before["sites"]
    records = [elastic.get(hit.id) for hit in elastic.search(SearchQuery(limit=10_000)).hits]
    embedded = EmbeddedIndex(tmp_path / "embedded")
    embedded.add_pages(records)
    embedded.commit()
    assert embedded.count() == after["pages"] == len(records)
    for query in QUERIES:
        assert urls(elastic, query) == urls(embedded, query), query
    assert sum(bool(urls(elastic, q)) for q in QUERIES) >= 6
