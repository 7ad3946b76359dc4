"""Telegram posts on Elasticsearch: their strict `posts` index takes every post document, searches cover
pages and posts, and a deleted post keeps its text with a deletion at the end of its history."""

import pytest

from oniondex.index import SearchQuery
from oniondex.index.documents import record_document
from oniondex.index.elastic import ElasticIndex
from oniondex.telegram.history import deleted_record
from tests.telegram.test_post_documents import sample_records

pytestmark = pytest.mark.es


def test_posts_index_search_and_deletion(es_client, prefix):
    index = ElasticIndex(es_client, prefix=prefix)
    records = list(sample_records())
    result = index.add_pages([record_document(r) for r in records])
    index.commit()
    assert result.failed == []
    assert result.indexed == len(records)
    assert index.count("posts") == len(records)
    hits = index.search(SearchQuery(text="던지기", limit=100)).hits
    assert hits
    assert all(hit.url.startswith("https://t.me/seoul_supply_ch/") for hit in hits)
    gone = records[-3]
    index.add_pages([record_document(deleted_record("seoul_supply_ch", gone.post_id, "2026-12-02T00:00:00+00:00"))])
    index.commit()
    assert index.get(gone.url)["text"] == gone.text
    assert index.get(gone.url)["deleted"] is True
    assert index.get(gone.url)["deleted_seen_at"] == "2026-12-02T00:00:00+00:00"
    assert index.get(records[-4].url)["deleted"] is False
    assert [v.get("deleted", False) for v in index.versions(gone.url)] == [False, True]
