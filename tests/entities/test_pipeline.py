"""EntityPipeline on a PageRecord, built the way Scrapy builds it."""

from __future__ import annotations

from dataclasses import asdict

from scrapy.utils.test import get_crawler

from oniondex.entities import extract_entities
from oniondex.page import Page
from oniondex.records import PageRecord
from pipelines.entities import EntityPipeline

HTML = (
    "<html><head><title>아이스 판매</title></head><body><p>아이스 1g 15만원 텔레그램 @IceKing_KR 문의</p>"
    "<p>BTC: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2</p></body></html>"
)


def record() -> PageRecord:
    page = Page("http://example.onion/ad", HTML.encode())
    return PageRecord(url=page.url, site=page.host, fetched_at="2025-01-01T00:00:00Z", status=200, page=page)


def test_pipeline_sets_entities_language_tags_and_stats() -> None:
    crawler = get_crawler()
    pipeline = EntityPipeline.from_crawler(crawler)
    item = pipeline.process_item(record(), None)
    assert item.language == "ko"
    assert item.tags == ["methamphetamine"]
    assert [(e["type"], e["value"], e["seen_at"]) for e in item.entities] == [
        ("telegram", "iceking_kr", "2025-01-01T00:00:00Z"),
        ("BTC", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "2025-01-01T00:00:00Z"),
    ]
    stats = crawler.stats.get_stats()
    expected = {
        "oniondex/entities/pages": 1,
        "oniondex/entities/BTC": 1,
        "oniondex/entities/telegram": 1,
        "oniondex/language/ko": 1,
        "oniondex/tags/methamphetamine": 1,
    }
    assert {key: stats.get(key) for key in expected} == expected


def test_pipeline_accepts_the_signature_without_spider_and_passes_other_items() -> None:
    pipeline = EntityPipeline()
    assert pipeline.process_item(record()).entities
    other = {"url": "x"}
    assert pipeline.process_item(other) is other


def test_entity_as_dict_matches_dataclasses_asdict() -> None:
    for entity in extract_entities(record().page):  # type: ignore[arg-type]
        assert entity.as_dict() == asdict(entity)
