"""The generic extractor on layouts written for these tests (tests/listings/layouts.py), scored with the
real-page scorer: every field of every offer, listing precision and recall, vendors."""

from __future__ import annotations

from dataclasses import replace

import pytest

from oniondex.listings import listing_records
from oniondex.page import Page
from oniondex.quality.real import score_page
from oniondex.vendors.records import vendor_records
from tests.listings.layouts import DEV, HELD_OUT, Offer, offers, single_en, truth_of


def _predict(html: str, url: str = "http://testmarketaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.onion/list") -> dict:
    page = Page(url, html.encode())
    listings = listing_records(page, "2026-01-01T00:00:00Z", profiles=[])
    vendors = vendor_records(page, [], listings, "2026-01-01T00:00:00Z", profiles=[])
    return {"language": "en", "entities": [], "listings": [x.as_dict() for x in listings],
            "vendors": [v.name for v in vendors]}  # fmt: skip


def _held_out_offers(layout: str) -> list[Offer]:
    items = offers("en", 3)
    if layout == "definition_grid":  # Monero and Australian dollars
        items = [replace(o, shown=f"AU$ {o.price}", currency="AUD") for o in items[:3]] + [
            replace(o, shown=f"{n + 1}.25 XMR", price=f"{n + 1}.25", currency="XMR") for n, o in enumerate(items[3:])
        ]
    return items


@pytest.mark.parametrize("layout", [*DEV, *HELD_OUT])
def test_every_field_of_every_offer(layout: str) -> None:
    make, lang = {**DEV, **HELD_OUT}[layout]
    items = _held_out_offers(layout) if layout in HELD_OUT else offers(lang, 1)
    truth = truth_of(layout, items)
    vendors = sorted({o.vendor for o in items})
    score = score_page(layout, _predict(make(items)), {"listings": truth, "vendors": vendors, "language": "en"})
    assert (score.listings.precision, score.listings.recall) == (1.0, 1.0), score.errors
    assert score.field_accuracy == 1.0, score.errors
    assert score.vendors.f1 == 1.0, score.errors


def test_single_listing_page_primary_price_title_breadcrumb_vendor() -> None:
    item = Offer(
        "Dutch MDMA 84% 10g", "0.0123", "0.0123 BTC", "BTC", "tulip_labs", "Ecstasy", "Netherlands", "Worldwide"
    )
    predicted = _predict(single_en(item), "http://testmarketaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.onion/p/1")
    score = score_page("single", predicted, {"listings": [item.truth()], "vendors": ["tulip_labs"], "language": "en"})
    assert score.field_accuracy == 1.0, score.errors
    assert predicted["vendors"] == ["tulip_labs"]  # not the market named in <title>


def test_scorer_pairs_fuzzy_titles_one_to_one_and_counts_null_truth_errors() -> None:
    truth = [{"title": "Blue Pill x10", "price": "10", "currency": "USD", "vendor": None, "category": None,
              "ships_from": None, "ships_to": None}] * 2  # fmt: skip
    predicted = {"language": "en", "entities": [], "vendors": ["bob"], "listings": [
        {"title": "Blue Pill x10", "price": 10.0, "currency": "USD", "vendor": "bob"},
        {"title": "Blue Pill x 10", "price": 10.0, "currency": "USD", "vendor": ""},
        {"title": "Something else entirely", "price": 1.0, "currency": "USD"},
    ]}  # fmt: skip
    score = score_page("p", predicted, {"listings": truth, "vendors": [], "language": "en"})
    assert (score.listings.tp, score.listings.fp, score.listings.fn) == (2, 1, 0)
    assert score.accuracy("vendor") == 0.0  # a vendor predicted where the truth has none is an error
    assert score.accuracy("price") == 1.0
    assert score.vendors.fp == 1
