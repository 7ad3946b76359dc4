"""The fuzz targets: one hostile input through the code that meets it, with the invariants that must hold.

Each target raises on a bug (an exception the code does not mean to raise, a result of the wrong type) and
returns quietly otherwise. `tests/fuzz/run.py` and the tests call them; saved crashes replay through them.
"""

from __future__ import annotations

from dataclasses import dataclass

from oniondex.entities import extract_entities
from oniondex.entities.extract import Entity
from oniondex.index import Index, SearchResult
from oniondex.listings import listing_records
from oniondex.listings.records import ListingRecord
from oniondex.page import Page
from web.query import QueryError, parse

URL = "http://oniondxexampleoniondxexampleoniondxexampleoniondxexampld.onion/fuzz"


def extract_page(body: bytes, content_type: str) -> None:
    page = Page(URL, body, content_type)
    assert isinstance(page.text, str)
    assert isinstance(page.title, str)
    entities = extract_entities(page, "2026-01-01T00:00:00Z")
    for entity in entities:
        assert isinstance(entity, Entity)
        assert entity.value
        assert isinstance(entity.value, str)
        assert isinstance(entity.snippet, str)
    listings = listing_records(page, "2026-01-01T00:00:00Z")
    assert all(isinstance(listing, ListingRecord) for listing in listings)


def small_index(index: Index) -> Index:
    """A few pages in Korean and English, with entities, so queries have something to match."""
    site = URL.split("/")[2]
    pages = [
        {"id": f"http://{site}/{n}", "url": f"http://{site}/{n}", "site": site, "title": title, "text": text,
         "language": lang, "fetched_at": f"2026-01-0{n}T00:00:00Z", "status": 200, "content_type": "text/html",
         "sha256": str(n) * 64, "tags": ["meth"] if n == 2 else [], "listings": [], "vendors": [],
         "entities": [{"type": "BTC", "value": "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "snippet": "pay"}]}
        for n, title, text, lang in ((1, "Escrow market", "full escrow", "en"), (2, "아이스", "아이스 팝니다", "ko"))
    ]  # fmt: skip
    index.add_pages(pages)
    index.commit()
    return index


@dataclass
class QueryTarget:
    """The search box's text through the parser and then the index (an embedded one, a few pages)."""

    index: Index

    def __call__(self, text: str) -> None:
        try:
            parsed = parse(text)
        except QueryError:  # the one error the parser means: the web UI answers it with 400
            return
        result = self.index.search(parsed.query)
        assert isinstance(result, SearchResult)
        assert result.total >= len(result.hits)
