"""Text only: links to media and binaries are never requested, and a response whose headers say it is
not text is aborted before its body is read. Nothing but text is downloaded or stored."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, StopDownload

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Headers
    from scrapy.statscollectors import StatsCollector


class TextOnlyMiddleware:
    def __init__(self, text_types: list[str], skip_extensions: list[str], stats: StatsCollector) -> None:
        self.text_types = frozenset(t.lower() for t in text_types)
        self.skip_extensions = frozenset("." + e.lower().lstrip(".") for e in skip_extensions)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TextOnlyMiddleware:
        assert crawler.stats is not None
        middleware = cls(
            crawler.settings.getlist("ONIONDEX_TEXT_TYPES"),
            crawler.settings.getlist("ONIONDEX_SKIP_EXTENSIONS"),
            crawler.stats,
        )
        crawler.signals.connect(middleware.headers_received, signal=signals.headers_received)
        return middleware

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        extension = posixpath.splitext(urlsplit(request.url).path)[1].lower()
        if extension in self.skip_extensions:
            self.stats.inc_value("oniondex/skipped/extension")
            raise IgnoreRequest(f"not text ({extension}): {request.url}")

    def headers_received(self, headers: Headers, body_length: int | None, request: Request, spider: Spider) -> None:
        content_type = headers.get(b"Content-Type", b"text/html").decode("latin-1")
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type and media_type not in self.text_types:
            self.stats.inc_value("oniondex/skipped/content_type")
            # fail=True sends the request to the errback, with no body read and no response stored.
            raise StopDownload(fail=True)
