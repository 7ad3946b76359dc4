"""Reading captures back: a record at an offset, and every page the crawl made, in crawl order.

Replay walks the WARC files alone. Each `metadata` page-record names the capture it was made from;
a revisit is resolved to the payload of the response it refers to.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, TypeVar

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from oniondex.evidence.capture import METADATA_CONTENT_TYPE, Headers

T = TypeVar("T")
Pages = Iterator[tuple[dict[str, Any], "StoredResponse"]]
Advance = Callable[[int], object]


@dataclass(frozen=True)
class StoredResponse:
    record_id: str
    type: str  # response or revisit
    url: str
    date: str
    status: int
    headers: Headers
    body: bytes  # the payload as received (for a revisit, the payload of the response it refers to)


class MissingCapture(LookupError):
    """A metadata or revisit record refers to a record in none of the WARC files replayed."""


class Replay:
    def __init__(self, files: list[Path]) -> None:
        self.files = files
        self._where: dict[str, tuple[Path, int]] = {}  # response/revisit id -> (file, offset)
        self._refers: dict[str, str] = {}  # revisit id -> the response it refers to
        self._handles: dict[Path, IO[bytes]] = {}
        self.missing: list[str] = []

    def pages(self, advance: Advance = lambda _n: None) -> Pages:
        """(crawl context, stored response) for every page record the crawls made, in order.
        `advance(n)` is called with the compressed bytes read, for a progress bar."""
        try:
            for path in self.files:
                yield from self._pages_in(path, advance)
        finally:
            for handle in self._handles.values():
                handle.close()

    def _pages_in(self, path: Path, advance: Advance) -> Pages:
        done = 0
        with path.open("rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                context = self._note(record, path, records)
                offset = records.get_record_offset()
                advance(offset - done)
                done = offset
                if context is not None:
                    try:
                        yield context, self.stored(context["refers_to"])
                    except MissingCapture as exc:
                        self.missing.append(str(exc))
        advance(path.stat().st_size - done)

    def _note(self, record: ArcWarcRecord, path: Path, records: ArchiveIterator) -> dict[str, Any] | None:
        """Where a capture is; or a page record's context. (warcio's offset is known once a record is read.)"""
        headers = record.rec_headers
        record_id = headers.get_header("WARC-Record-ID")
        if record.rec_type in ("response", "revisit"):
            self._where[record_id] = (path, records.get_record_offset())
            if record.rec_type == "revisit":
                self._refers[record_id] = headers.get_header("WARC-Refers-To")
        elif record.rec_type == "metadata" and headers.get_header("Content-Type") == METADATA_CONTENT_TYPE:
            context = json.loads(record.content_stream().read())
            if isinstance(context, dict) and context.pop("oniondex", None) == "page-record":
                return {**context, "refers_to": headers.get_header("WARC-Refers-To")}
        return None

    def stored(self, record_id: str) -> StoredResponse:
        record = self._read(record_id)
        if record.type != "revisit":
            return record
        return replace(record, body=self._read(self._refers[record_id]).body)

    def _read(self, record_id: str) -> StoredResponse:
        if record_id not in self._where:
            raise MissingCapture(f"capture {record_id} is in none of the WARC files read")
        path, offset = self._where[record_id]
        return read_record_at(self._handle(path), offset, stored_response)

    def _handle(self, path: Path) -> IO[bytes]:
        if path not in self._handles:
            self._handles[path] = path.open("rb")
        return self._handles[path]


def read_record_at(stream: IO[bytes], offset: int, read: Callable[[ArcWarcRecord], T]) -> T:
    stream.seek(offset)
    return read(next(iter(ArchiveIterator(stream))))


def stored_response(record: ArcWarcRecord) -> StoredResponse:
    headers = record.rec_headers
    http = record.http_headers
    return StoredResponse(
        record_id=headers.get_header("WARC-Record-ID"),
        type=record.rec_type,
        url=headers.get_header("WARC-Target-URI"),
        date=headers.get_header("WARC-Date"),
        status=int(http.get_statuscode()) if http else 0,
        headers=list(http.headers) if http else [],
        body=record.raw_stream.read(),
    )
