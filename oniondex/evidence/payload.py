"""From a stored payload to the body the spider saw: Content-Encoding decoded exactly as Scrapy's
HttpCompressionMiddleware does in a crawl (its own helpers, so the two cannot drift apart)."""

from __future__ import annotations

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.utils._compression import _DecompressionMaxSizeExceeded


class PayloadTooLarge(ValueError):
    """The payload decodes to more than the size cap: the crawl drops such a response (a compression bomb)."""


def content_encodings(headers: list[tuple[str, str]]) -> list[bytes]:
    return [value.encode("latin-1") for name, value in headers if name.lower() == "content-encoding"]


def decoded_body(body: bytes, encodings: list[bytes], max_size: int) -> bytes:
    """The body with every encoding Scrapy understands removed; raises PayloadTooLarge over max_size."""
    to_decode, _kept = HttpCompressionMiddleware._split_encodings(encodings)
    try:
        for encoding in to_decode:
            body = HttpCompressionMiddleware._decode(body, encoding, max_size)
    except _DecompressionMaxSizeExceeded as exc:
        raise PayloadTooLarge(str(exc)) from exc
    return body
