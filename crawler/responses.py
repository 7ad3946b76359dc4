"""A response's `Page`, made once per response: the wall checks (WallMiddleware, SessionMiddleware) and the
spider read the same page, and each parse of it on the reactor thread was a millisecond of its CPU."""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from oniondex.page import Page

if TYPE_CHECKING:
    from scrapy.http import TextResponse

# Dropped with the response: the page lives on in its PageRecord only.
_PAGES: WeakKeyDictionary[TextResponse, Page] = WeakKeyDictionary()


def page_of(response: TextResponse) -> Page:
    """The page of `response` (its URL, body, content type, text/html when it has none, and status)."""
    page = _PAGES.get(response)
    if page is None:
        content_type = response.headers.get("Content-Type", b"").decode("latin-1") or "text/html"
        page = _PAGES[response] = Page(response.url, response.body, content_type, response.status)
    return page
