"""Every fetch kept as evidence: request and response records in per-job, rolled .warc.gz files.

Runs next to the downloader (priority 950, above HttpCompressionMiddleware's 590), so it stores the
headers and the payload as they came over the wire, before decompression. Responses aborted for not
being text (StopDownload) or over DOWNLOAD_MAXSIZE never reach it, and a compressed body that would
decode past DOWNLOAD_MAXSIZE (which HttpCompressionMiddleware drops next) is not stored either.
When the spider turns a captured response into a PageRecord, a metadata record keeps its crawl
context: that is what `oniondex reindex` replays. Records are gzipped at ONIONDEX_WARC_GZIP_LEVEL
(default 6, zlib's: warcio's 9 costs the crawl process twice the CPU per page for files 4% smaller).

The records are built, gzipped and written on the archive's writer thread (oniondex/evidence/writer_thread.py),
not on the reactor's: the middleware names the response record (its id goes into request.meta at once) and
leaves the write's Future under WRITE_META_KEY, which the frontier waits on before it marks the request done
(crawler/frontier/scheduler.py), so a kill never loses a capture of a request the frontier counts as fetched.
Stats of the writes are counted on the writer thread (keys no other thread touches).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.reactor import is_reactor_installed

from crawler.frontier.scheduler import WRITE_META_KEY
from oniondex.config import layout_of
from oniondex.evidence.archive import CaptureArchive, Captured, new_job_id, new_record_id
from oniondex.evidence.capture import CONTEXT_FIELDS, Exchange, Headers
from oniondex.evidence.errors import WarcWriteError
from oniondex.evidence.payload import PayloadTooLarge, content_encodings, decoded_body
from oniondex.evidence.warcfile import GZIP_LEVEL
from oniondex.evidence.writer_thread import ArchiveThread
from oniondex.records import PageRecord

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.http.headers import Headers as ScrapyHeaders
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# request.meta key: the WARC-Record-ID of the capture of this request's response.
RECORD_META_KEY = "oniondex_warc_record_id"
CLOSE_REASON = "warc_write_failed"
# Jobs (a capture or a metadata record each) waiting for the writer thread: enough to ride out a slow write,
# few enough that the bodies they hold stay a small part of the memory.
WRITE_QUEUE = 64


class WarcCaptureMiddleware:
    def __init__(self, crawler: Crawler, open_archive: Callable[[], CaptureArchive], max_size: int) -> None:
        self.crawler = crawler
        self.writer = ArchiveThread(open_archive, WRITE_QUEUE, self._failed_on_writer)
        self.archive = self.writer.archive
        self.max_size = max_size
        self.stats: StatsCollector = crawler.stats
        self._closing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        settings = crawler.settings
        if not settings.getbool("ONIONDEX_WARC_ENABLED"):
            raise NotConfigured("WARC capture is off (ONIONDEX_WARC_ENABLED=False): no fetch is kept as evidence")
        max_file_size = settings.getint("ONIONDEX_WARC_MAX_SIZE")
        if max_file_size <= 0:
            raise ValueError(f"ONIONDEX_WARC_MAX_SIZE={max_file_size!r}: give a file size in bytes, above 0")
        root = layout_of(settings).warc_dir
        job_id = settings.get("ONIONDEX_WARC_JOB_ID") or new_job_id()
        gzip_level = settings.getint("ONIONDEX_WARC_GZIP_LEVEL", GZIP_LEVEL)
        if not 1 <= gzip_level <= 9:
            raise ValueError(f"ONIONDEX_WARC_GZIP_LEVEL={gzip_level!r}: give 1 (fastest) to 9 (smallest files)")
        archive = partial(CaptureArchive, root, job_id, max_file_size, gzip_level=gzip_level)
        middleware = cls(crawler, archive, settings.getint("DOWNLOAD_MAXSIZE"))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        if is_reactor_installed():  # (unit tests have none: importing one would install the wrong one)
            from twisted.internet import reactor

            # A forced stop (a second signal) stops the reactor before spider_closed: the files still close
            # whole, with every capture queued (the writer is a daemon thread, which the exit would cut short).
            reactor.addSystemEventTrigger("after", "shutdown", middleware.writer.close)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(middleware.page_done, signal=signal)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        self.stats.set_value("oniondex/warc/job_id", self.archive.job_id)
        logger.info("keeping every fetch in %s", self.archive.root / self.archive.job_id, extra={"spider": spider})

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        request.meta.pop(RECORD_META_KEY, None)  # a redirect's copy of the meta must not point at its parent
        if "download_stopped" in response.flags:
            self.stats.inc_value("oniondex/warc/skipped/partial")
            return response
        if self.writer.failed is not None:  # what comes in now is not kept: the crawl stops
            self._write_failed(self.writer.failed)
            raise self.writer.failed
        record_id = new_record_id()
        max_size = request.meta.get("download_maxsize", self.max_size)
        capture = self.writer.submit(partial(self._capture, exchange_of(request, response), record_id, max_size))
        request.meta[RECORD_META_KEY] = record_id
        request.meta[WRITE_META_KEY] = capture
        return response

    def page_done(self, item: Any, response: Response | None = None, **_: Any) -> None:
        if not isinstance(item, PageRecord) or response is None or response.request is None:
            return
        meta = response.request.meta
        record_id = meta.get(RECORD_META_KEY)
        if not record_id or self.writer.failed is not None:
            self.stats.inc_value("oniondex/warc/metadata/uncaptured")
            return
        context = {name: getattr(item, name) for name in CONTEXT_FIELDS}
        meta[WRITE_META_KEY] = self.writer.submit(partial(self._note_page, record_id, context))

    def _capture(self, exchange: Exchange, record_id: str, max_size: int, archive: CaptureArchive) -> Captured | None:
        """On the writer thread."""
        if too_large(exchange, max_size):
            self.stats.inc_value("oniondex/warc/skipped/oversize")
            return None
        captured = archive.capture(exchange, record_id)
        self.stats.inc_value(f"oniondex/warc/{captured.type}")
        self.stats.inc_value("oniondex/warc/bytes", captured.bytes_written)
        return captured

    def _note_page(self, record_id: str, context: dict[str, Any], archive: CaptureArchive) -> None:
        """On the writer thread, after the capture's job."""
        if archive.history.get(record_id) is None:  # not stored (oversize): HttpCompressionMiddleware drops it
            return
        archive.note_page(record_id, context)
        self.stats.inc_value("oniondex/warc/metadata")

    def spider_closed(self, spider: Spider) -> None:
        self.writer.close()
        files = self.archive.writer.files_written
        self.stats.set_value("oniondex/warc/files", len(files))
        logger.info("%d WARC files written for job %s", len(files), self.archive.job_id, extra={"spider": spider})

    def _failed_on_writer(self, exc: WarcWriteError) -> None:
        """On the writer thread: the reactor's thread closes the crawl. (Unit tests run without a reactor,
        and importing one would install the wrong one; process_response sees the error next.)"""
        if is_reactor_installed():
            from twisted.internet import reactor

            reactor.callFromThread(self._write_failed, exc)

    def _write_failed(self, exc: WarcWriteError) -> None:
        # Crawling on without keeping what is fetched would give results nobody can prove: stop.
        if self._closing:
            return
        self._closing = True
        self.stats.inc_value("oniondex/warc/write_failed")
        logger.error("cannot write a capture, closing the crawl: %s", exc)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=CLOSE_REASON))


def too_large(exchange: Exchange, max_size: int) -> bool:
    """Whether the payload decodes past max_size: HttpCompressionMiddleware drops such a response next."""
    encodings = content_encodings(exchange.response_headers)
    if not encodings or exchange.method == "HEAD":
        return False
    try:
        decoded_body(exchange.body, encodings, max_size)
    except PayloadTooLarge:
        return True
    return False


def exchange_of(request: Request, response: Response) -> Exchange:
    return Exchange(
        url=response.url,
        status=response.status,
        response_headers=header_pairs(response.headers),
        body=response.body,
        method=request.method,
        request_headers=header_pairs(request.headers),
        request_body=request.body,
        protocol=response.protocol or "HTTP/1.1",
        captured_at=datetime.now(UTC),
    )


def header_pairs(headers: ScrapyHeaders) -> Headers:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
        if value is not None
    ]
