"""Absolute URLs of a page's links, resolved once: every listing block and the vendor pass resolve the
same hrefs against the same page URL, and `urljoin` is among the costliest calls per link."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from oniondex.listings.memo import short_text_cache

_PLAIN_SCHEMES = ("http", "https", "file")


@short_text_cache(16_384)  # the blocks, their nested offers and the vendor pass resolve the same links
def absolute(base: str, href: str) -> str:
    """`urljoin(base, href)`, with the common cases (an absolute URL, a root-relative or a plain relative
    path without dot segments) done by string operations."""
    if not href or " " in href or "/." in href or "\\" in href or href.startswith((".", "?", "#", "//")):
        return _joined(base, href)
    if href.startswith(("http://", "https://")):
        return href
    origin = _origin(base)
    if not origin:
        return _joined(base, href)
    if href.startswith("/"):
        return origin + href
    if ":" not in href.split("/", 1)[0]:
        return _directory(base) + href
    return _joined(base, href)


@lru_cache(maxsize=64)
def _origin(base: str) -> str:
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in _PLAIN_SCHEMES else ""


@lru_cache(maxsize=64)
def _directory(base: str) -> str:
    """The base URL up to its last slash, as urljoin resolves a relative path against it."""
    return urljoin(base, "_")[:-1]


@lru_cache(maxsize=16_384)
def _joined(base: str, href: str) -> str:
    return urljoin(base, href)
