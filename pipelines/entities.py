"""Entity extraction, language and drug-trade tags for each fetched page (see oniondex.entities)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from oniondex.entities.extract import extract_entities
from oniondex.entities.report import page_language, page_tags
from oniondex.records import PageRecord

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

STATS_PREFIX = "oniondex/entities"


class EntityPipeline:
    """Sets `entities`, `language` and `tags` on every `PageRecord` that carries its `page`.

    Stats: `oniondex/entities/<type>` counts entities found per type; `oniondex/entities/pages` the pages
    processed; `oniondex/language/<code>` pages per language; `oniondex/tags/<tag>` pages per tag.
    """

    def __init__(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EntityPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageRecord) or item.page is None:
            return item
        entities = extract_entities(item.page, item.fetched_at or None)
        item.entities = [entity.as_dict() for entity in entities]
        item.language = page_language(item.page)
        item.tags = sorted({*item.tags, *page_tags(item.page)})
        self._count(item, Counter(entity.type for entity in entities))
        return item

    def _count(self, item: PageRecord, by_type: Counter[str]) -> None:
        if self.stats is None:
            return
        self.stats.inc_value(f"{STATS_PREFIX}/pages")
        for entity_type, count in by_type.items():
            self.stats.inc_value(f"{STATS_PREFIX}/{entity_type}", count)
        self.stats.inc_value(f"oniondex/language/{item.language}")
        for tag in item.tags:
            self.stats.inc_value(f"oniondex/tags/{tag}")
