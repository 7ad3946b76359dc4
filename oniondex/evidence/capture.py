"""One HTTP exchange as it came over the wire, and the WARC records that keep it. No Scrapy here."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date

from oniondex.evidence.warcfile import JOB_HEADER, sha256_hex, warc_digest

# The payload is stored de-chunked (as the HTTP client delivers it), so a Transfer-Encoding header would
# make WARC readers try to de-chunk it again; it is kept under this name instead.
KEPT_TRANSFER_ENCODING = "X-Oniondex-Orig-Transfer-Encoding"
METADATA_CONTENT_TYPE = "application/json"
# The PageRecord fields the spider sets from the fetch: what a metadata record keeps, so reindexing
# rebuilds the same record from the payload. Everything else is extraction, and is re-run.
CONTEXT_FIELDS = ("url", "site", "fetched_at", "status", "depth", "seed_tags", "case")

Headers = list[tuple[str, str]]


@dataclass(frozen=True)
class Exchange:
    url: str
    status: int
    response_headers: Headers
    body: bytes  # the payload as received: content-encoded if the server encoded it, never chunked
    method: str = "GET"
    request_headers: Headers = field(default_factory=list)
    request_body: bytes = b""
    protocol: str = "HTTP/1.1"
    captured_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @cached_property
    def sha256(self) -> str:
        return sha256_hex(self.body)

    @property
    def warc_date(self) -> str:
        return datetime_to_iso_date(self.captured_at.astimezone(UTC).replace(tzinfo=None), use_micros=True)

    @property
    def site(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


@dataclass(frozen=True)
class Original:
    """The first capture of a URL's payload, which a revisit refers to."""

    record_id: str
    date: str


def request_record(builder: RecordBuilder, exchange: Exchange, job_id: str, concurrent_to: str) -> ArcWarcRecord:
    parts = urlsplit(exchange.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc), *exchange.request_headers]
    http = StatusAndHeaders(f"{exchange.method} {target}", headers, protocol=exchange.protocol, is_http_request=True)
    return builder.create_warc_record(
        exchange.url,
        "request",
        payload=BytesIO(exchange.request_body),
        length=len(exchange.request_body),
        http_headers=http,
        warc_headers_dict=_warc_headers(exchange, job_id, {"WARC-Concurrent-To": concurrent_to}),
    )


def response_record(builder: RecordBuilder, exchange: Exchange, job_id: str) -> ArcWarcRecord:
    digest = {"WARC-Payload-Digest": warc_digest(exchange.sha256)}
    return builder.create_warc_record(
        exchange.url,
        "response",
        payload=BytesIO(exchange.body),
        length=len(exchange.body),
        http_headers=_response_http_headers(exchange),
        warc_headers_dict=_warc_headers(exchange, job_id, digest),
    )


def revisit_record(builder: RecordBuilder, exchange: Exchange, job_id: str, original: Original) -> ArcWarcRecord:
    """A "seen again, unchanged" record: the response headers of this fetch, no payload copy."""
    return builder.create_revisit_record(
        exchange.url,
        warc_digest(exchange.sha256),
        exchange.url,
        original.date,
        http_headers=_response_http_headers(exchange),
        warc_headers_dict=_warc_headers(exchange, job_id, {"WARC-Refers-To": original.record_id}),
    )


def metadata_record(
    builder: RecordBuilder, url: str, job_id: str, refers_to: str, context: dict[str, Any]
) -> ArcWarcRecord:
    """The crawl context of the page record the spider made from the capture `refers_to`."""
    payload = json.dumps({"oniondex": "page-record", **context}, ensure_ascii=False, sort_keys=True).encode()
    warc_headers = {"WARC-Refers-To": refers_to, JOB_HEADER: job_id, "Content-Type": METADATA_CONTENT_TYPE}
    return builder.create_warc_record(
        url, "metadata", payload=BytesIO(payload), length=len(payload), warc_headers_dict=warc_headers
    )


def _warc_headers(exchange: Exchange, job_id: str, extra: dict[str, str]) -> dict[str, str]:
    return {"WARC-Date": exchange.warc_date, JOB_HEADER: job_id, **extra}


def _response_http_headers(exchange: Exchange) -> StatusAndHeaders:
    headers = [
        (KEPT_TRANSFER_ENCODING if name.lower() == "transfer-encoding" else name, value)
        for name, value in exchange.response_headers
    ]
    try:
        reason = HTTPStatus(exchange.status).phrase
    except ValueError:
        reason = "Unknown"
    return StatusAndHeaders(f"{exchange.status} {reason}", headers, protocol=exchange.protocol)
