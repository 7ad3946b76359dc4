"""Rebuild the index from the WARC files alone: every page record the crawls made is rebuilt from its
stored payload and crawl context, and goes through the ITEM_PIPELINES of the settings (extraction with
`extract_page`, the vendor store, indexing, whichever backend ONIONDEX_INDEX_URL names), without a network
and without a reactor: the pipelines run inline (ONIONDEX_OFF_REACTOR off)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.settings import Settings
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.reactor import is_reactor_installed

from oniondex.evidence.capture import CONTEXT_FIELDS
from oniondex.evidence.payload import PayloadTooLarge, content_encodings, decoded_body
from oniondex.evidence.replay import Replay, StoredResponse
from oniondex.evidence.warcfile import warc_files
from oniondex.page import Page
from oniondex.records import PageRecord

logger = logging.getLogger(__name__)


class ReindexSpider(scrapy.Spider):
    """Stands in for the crawl's spider where pipelines expect one; it never requests anything."""

    name = "reindex"


@dataclass
class ReindexResult:
    files: int = 0
    pages: int = 0
    dropped: int = 0
    missing: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


def offline_settings(overrides: dict[str, Any]) -> Settings:
    """The crawl's settings (crawler.settings + overrides), with no extensions and no reactor."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict(overrides, priority="cmdline")
    offline = {
        "EXTENSIONS": {},
        "EXTENSIONS_BASE": {},
        "TWISTED_REACTOR_ENABLED": is_reactor_installed(),
        "ONIONDEX_OFF_REACTOR": False,  # no reactor runs here to take the pools' results
        "ONIONDEX_WATCH_ENABLED": False,  # old captures replayed are not new sightings (pipelines/watch.py)
    }
    if is_reactor_installed():
        offline["TWISTED_REACTOR"] = None  # use whichever is installed (tests); the reindex starts none
    settings.setdict(offline, priority="cmdline")
    return settings


def reindex(
    root: Path,
    settings: Settings,
    advance: Callable[[int], object] = lambda _n: None,
    files: list[Path] | None = None,
    wanted: Callable[[dict[str, Any]], bool] | None = None,
) -> ReindexResult:
    """The pages of `files` (default: every WARC file under root) whose crawl context is `wanted` (default all)."""
    files = warc_files(root) if files is None else files
    crawler = Crawler(ReindexSpider, settings)
    crawler._apply_settings()  # stats, log formatter: what from_crawler users need, without a crawl
    spider = ReindexSpider()
    spider.crawler = crawler
    pipelines = _pipelines(crawler)
    result = ReindexResult(files=len(files))
    for pipeline in pipelines:
        _call(pipeline, "open_spider", spider)
    try:
        replay = Replay(files)
        max_size = settings.getint("DOWNLOAD_MAXSIZE")
        for context, stored in replay.pages(advance):
            if wanted is not None and not wanted(context):
                continue
            result.pages += 1
            result.dropped += not _process(pipelines, page_record(context, stored, max_size), spider)
        result.missing = replay.missing
    finally:
        for pipeline in pipelines:
            _call(pipeline, "close_spider", spider)
    result.stats = crawler.stats.get_stats()
    return result


def page_record(context: dict[str, Any], stored: StoredResponse, max_size: int) -> PageRecord:
    """The PageRecord the spider made from this capture, before any pipeline ran."""
    try:
        body = decoded_body(stored.body, content_encodings(stored.headers), max_size)
    except PayloadTooLarge:
        body = b""  # never stored by the capture middleware; an edited file would land here
    content_type = next((v for n, v in reversed(stored.headers) if n.lower() == "content-type"), "") or "text/html"
    fields = {name: context[name] for name in CONTEXT_FIELDS if name in context}
    return PageRecord(**fields, page=Page(fields["url"], body, content_type, int(fields["status"])))


def tqdm_progress(total: int) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="B", unit_scale=True, desc="reindex", file=sys.stderr)


def _pipelines(crawler: Crawler) -> list[Any]:
    configured = crawler.settings.getdict("ITEM_PIPELINES")
    ordered = sorted((priority, path) for path, priority in configured.items() if priority is not None)
    pipelines = []
    for _priority, path in ordered:
        try:
            pipelines.append(build_from_crawler(load_object(path), crawler))
        except NotConfigured as exc:  # turned off by its settings: skipped, as a crawl's pipeline manager does
            logger.info("reindex without %s: %s", path, exc)
    return pipelines


def _process(pipelines: list[Any], item: Any, spider: scrapy.Spider) -> bool:
    try:
        for pipeline in pipelines:
            item = pipeline.process_item(item, spider)
    except DropItem as exc:
        logger.info("dropped on reindex: %s", exc)
        return False
    return True


def _call(pipeline: Any, method: str, spider: scrapy.Spider) -> None:
    hook = getattr(pipeline, method, None)
    if hook is not None:
        hook(spider)
