"""What only Elasticsearch has: the versioned layout, bulk failures, the alias swap, a server that dies."""

import pytest
from elasticsearch import ApiError, Elasticsearch
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from oniondex.index import mappings
from oniondex.index.documents import KINDS
from oniondex.index.elastic import ElasticIndex
from pipelines.index import IndexPipeline
from tests.index.records import crawl_records
from tests.index.test_contract import pages

pytestmark = pytest.mark.es


def test_layout_is_versioned_strict_and_behind_aliases(es_client, prefix):
    index = ElasticIndex(es_client, prefix=prefix)
    index.ensure()
    for kind in KINDS:
        expected = [f"{prefix}-{kind}-v{mappings.version(kind)}"]
        assert list(es_client.indices.get_alias(name=f"{prefix}-{kind}").body) == expected
    with pytest.raises(ApiError) as refused:
        es_client.index(index=f"{prefix}-pages", id="x", document={"url": "x", "unmapped": 1})
    assert refused.value.error == "strict_dynamic_mapping_exception"
    ElasticIndex(es_client, prefix=prefix).ensure()  # applying again changes nothing


def failing_bulk_client(url, plan):
    """A client whose bulk responses are rewritten by `plan`: a list of (item number, status, error type)
    per bulk request, applied in order: 429s are retried by streaming_bulk, others are permanent."""

    class FailingBulkClient(Elasticsearch):
        def bulk(self, *args, **kwargs):
            response = super().bulk(*args, **kwargs)
            if plan:
                for item_number, status, error in plan.pop(0):
                    _op, info = next(iter(response.body["items"][item_number].items()))
                    info.update(status=status, error={"type": error, "reason": "injected by the test"})
                response.body["errors"] = True
            return response

    return FailingBulkClient(url, request_timeout=60)


def test_bulk_retries_429_and_dead_letters_the_rest(es_url, prefix, tmp_path):
    plan = [[(0, 429, "es_rejected_execution_exception")], [(0, 400, "mapper_parsing_exception")]]
    index = ElasticIndex(failing_bulk_client(es_url, plan), prefix=prefix, chunk_size=1000)
    result = index.add_pages(pages())
    index.commit()
    assert plan == []
    assert [(f.index, f.reason) for f in result.failed] == [("pages", "mapper_parsing_exception")]
    assert result.indexed == 3
    assert result.failed[0].document["url"] == result.failed[0].id


def test_reindex_to_a_new_version_swaps_the_alias(es_client, prefix, monkeypatch):
    index = ElasticIndex(es_client, prefix=prefix)
    index.add_pages(pages())
    index.commit()
    old = mappings.version("pages")
    monkeypatch.setattr(mappings, "version", lambda kind, current=mappings.version: current(kind) + 1)
    assert mappings.reindex(es_client, prefix, "pages", delete_old=True) == f"{prefix}-pages-v{old + 1}"
    assert list(es_client.indices.get_alias(name=f"{prefix}-pages").body) == [f"{prefix}-pages-v{old + 1}"]
    assert index.count() == 4
    assert not es_client.indices.exists(index=f"{prefix}-pages-v{old}")


def test_killing_elasticsearch_mid_crawl_loses_no_record(dataqa, prefix, tmp_path):
    node, proxy = dataqa
    settings = {
        "ONIONDEX_INDEX_URL": f"{proxy.url}/{prefix}",
        "ONIONDEX_INDEX_BATCH": 5,
        "ONIONDEX_DATA_DIR": str(tmp_path),
    }
    crawler = get_crawler(settings_dict=settings)
    pipeline = build_from_crawler(IndexPipeline, crawler)
    pipeline.open_spider()
    for n, record in enumerate(crawl_records(60)):
        if n == 20:
            node.kill()  # SIGKILL, mid-crawl
        if n == 40:
            proxy.upstream = node.start().removeprefix("http://")
        pipeline.process_item(record)
    pipeline.close_spider()
    stats = crawler.stats.get_stats()
    assert stats["oniondex/index/records"] == stats["oniondex/index/pages"] == 60
    assert stats["oniondex/index/spooled"] == stats["oniondex/index/replayed"] == 20
    assert "oniondex/index/spool_pending" not in stats
    assert ElasticIndex(Elasticsearch(proxy.url), prefix=prefix).count() == 60
