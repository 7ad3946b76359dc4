"""The capture archive of one crawl job: WARC records written, and each one noted in the history."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeadersParser

from oniondex.evidence.capture import (
    Exchange,
    metadata_record,
    request_record,
    response_record,
    revisit_record,
)
from oniondex.evidence.history import HISTORY_FILE, HistoryStore, Row
from oniondex.evidence.warcfile import GZIP_LEVEL, RollingWarcWriter, WrittenRecord


def new_record_id() -> str:
    """A WARC-Record-ID (`<urn:uuid:...>`), as warcio makes them."""
    return StatusAndHeadersParser.make_warc_id()


def new_job_id(now: datetime | None = None) -> str:
    """`<UTC start time>-<6 hex>`: sorts in crawl order, unique across machines."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@dataclass(frozen=True)
class Captured:
    record_id: str  # the response or revisit record
    type: str  # "response" (a new payload for this URL) or "revisit" (seen again, unchanged)
    sha256: str
    bytes_written: int


class CaptureArchive:
    def __init__(
        self,
        root: Path,
        job_id: str,
        max_file_size: int,
        history_path: Path | None = None,
        gzip_level: int = GZIP_LEVEL,
    ) -> None:
        self.root = root
        self.job_id = job_id
        self.writer = RollingWarcWriter(root, job_id, max_file_size, gzip_level)
        self.history = HistoryStore(history_path or root / HISTORY_FILE)
        self._warcinfos_noted = 0

    def capture(self, exchange: Exchange, record_id: str = "") -> Captured:
        """Keep one fetch: request + response, or request + revisit when this URL's payload is unchanged.
        `record_id` (new_record_id) names the response or revisit record when the caller needs it first."""
        builder = self.writer.builder
        original = self.history.original(exchange.url, exchange.sha256)
        if original is None:
            main = response_record(builder, exchange, self.job_id)
        else:
            main = revisit_record(builder, exchange, self.job_id, original)
        if record_id:
            main.rec_headers.replace_header("WARC-Record-ID", record_id)  # in place: the header order stays
        main_id = main.rec_headers.get_header("WARC-Record-ID")
        request = request_record(builder, exchange, self.job_id, main_id)
        written_main, written_request = self.writer.write([main, request])
        self._note_warcinfos()
        kind = "response" if original is None else "revisit"
        self.history.add(
            [
                self._row(written_main, kind, exchange, refers_to=original.record_id if original else ""),
                self._row(written_request, "request", exchange, refers_to=main_id),
            ]
        )
        return Captured(main_id, kind, exchange.sha256, written_main.length + written_request.length)

    def note_page(self, refers_to: str, context: dict[str, Any]) -> None:
        """Record that the spider made a page record from capture `refers_to`, with its crawl context."""
        url = str(context["url"])
        record = metadata_record(self.writer.builder, url, self.job_id, refers_to, context)
        (written,) = self.writer.write([record])
        self._note_warcinfos()
        date = record.rec_headers.get_header("WARC-Date")
        exchange = Exchange(url, 0, [], b"")
        self.history.add([self._row(written, "metadata", exchange, refers_to=refers_to, date=date)])

    def _note_warcinfos(self) -> None:
        new = self.writer.warcinfos[self._warcinfos_noted :]
        self._warcinfos_noted += len(new)
        empty = Exchange("", 0, [], b"")
        self.history.add(self._row(written, "warcinfo", empty, refers_to="", date=date) for written, date in new)

    def close(self) -> None:
        self.writer.close()
        self.history.close()

    def _row(self, written: WrittenRecord, kind: str, exchange: Exchange, refers_to: str, date: str = "") -> Row:
        is_capture = kind in ("response", "revisit")
        return Row(
            record_id=written.record_id,
            type=kind,
            url=exchange.url,
            site=exchange.site,
            date=date or exchange.warc_date,
            job=self.job_id,
            warc=written.warc,
            offset=written.offset,
            length=written.length,
            sha256=exchange.sha256 if is_capture else "",
            status=exchange.status if is_capture else 0,
            refers_to=refers_to,
        )
