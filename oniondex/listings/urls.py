"""Absolute URLs of a page's links, resolved once: every listing block and the vendor pass resolve the
same hrefs against the same page URL, and `urljoin` is among the costliest calls per link."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urljoin


@lru_cache(maxsize=16_384)
def absolute(base: str, href: str) -> str:
    if href.startswith(("http://", "https://")) and " " not in href and "/." not in href:
        return href  # already absolute (urljoin would only normalise dot segments)
    return urljoin(base, href)
