"""The sample darknet crawled into Elasticsearch: a recrawl duplicates nothing, and Korean and English
queries return the same pages from Elasticsearch and from the embedded index given the same records."""

import pytest
from elasticsearch import Elasticsearch

from oniondex.index import SearchQuery
from oniondex.index.documents import KINDS
from oniondex.index.elastic import ElasticIndex
from oniondex.index.embedded import EmbeddedIndex
from tests.conftest import run_crawl, sample_seeds_without

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


def uncapped_seeds(truth, path):
    """The sample seeds without the sites whose pages outnumber the cap (the link flood, the traps): which
    of their pages a crawl reaches depends on timing, so only the others make a recrawl exactly repeatable."""
    return sample_seeds_without(truth, {"flood", "trap"}, path)


def crawl_into(data_dir, seeds, socks_front, index_url):
    run = run_crawl(data_dir, seeds, socks_front.url, "--index", str(index_url), *CRAWL)
    assert run.returncode == 0, run.output[-3000:]


def urls(index, text):
    return {hit.url for hit in index.search(SearchQuery(text=text, limit=10_000)).hits}


def test_recrawl_and_same_hits_as_embedded(es_url, prefix, socks_front, truth, tmp_path):
    seeds = uncapped_seeds(truth, tmp_path / "seeds.txt")
    crawl_into(tmp_path / "data", seeds, socks_front, f"{es_url}/{prefix}")
    elastic = ElasticIndex(Elasticsearch(es_url, request_timeout=60), prefix=prefix)
    before = {kind: elastic.count(kind) for kind in KINDS}
    assert before["pages"] > 20
    assert before["entities"] > 0
    crawl_into(tmp_path / "data", seeds, socks_front, f"{es_url}/{prefix}")
    after = {kind: elastic.count(kind) for kind in KINDS}
    # Same pages, unchanged: no duplicate and no new version of any kind of document.
    assert after == before
    records = [elastic.get(hit.id) for hit in elastic.search(SearchQuery(limit=10_000)).hits]
    embedded = EmbeddedIndex(tmp_path / "embedded")
    embedded.add_pages(records)
    embedded.commit()
    assert embedded.count() == after["pages"] == len(records)
    for query in QUERIES:
        assert urls(elastic, query) == urls(embedded, query), query
    assert sum(bool(urls(elastic, q)) for q in QUERIES) >= 6
