"""Every vendor a page presents, and only sellers: listing vendors, seller links, top-vendor boxes,
forum flair; not the logged-in account, staff menus or the market's name. Identifiers only on the
vendor's own page."""

from __future__ import annotations

from oniondex.entities.extract import extract_entities
from oniondex.listings import listing_records
from oniondex.page import Page
from oniondex.vendors.records import vendor_records
from tests.listings.layouts import offers, single_en, tiles_en

HOST = "http://vendortestaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.onion"


def _vendors(html: str, path: str = "/list") -> list:
    page = Page(HOST + path, html.encode())
    listings = listing_records(page, "2026-01-01T00:00:00Z", profiles=[])
    return vendor_records(page, extract_entities(page), listings, "2026-01-01T00:00:00Z", profiles=[])


def test_category_page_gives_one_vendor_per_seller_with_counts_and_no_identifiers() -> None:
    items = offers("en", 0)
    html = tiles_en(items).replace("</main>", "<p>Payout: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq</p></main>")
    found = _vendors(html)
    assert [v.name for v in found] == ["bluebird", "north_star", "PillPal"]
    assert [v.listing_count for v in found] == [2, 2, 2]
    assert all(not v.payout and not v.pgp and not v.contacts for v in found)


def test_top_vendor_box_and_forum_flair_count_logged_in_user_and_menus_do_not() -> None:
    html = (
        "<html><head><title>Forum - Heron</title></head><body>"
        "<div class='top'>Logged in as <a href='/u/me_buyer'>me_buyer</a></div>"
        "<div class='menu dropdown'><a href='/vendor/staffpicks'>staffpicks</a></div>"
        "<h3>Top vendors this month</h3>"
        "<ul><li><a href='/u/alpha'>alpha</a></li><li><a href='/u/beta'>beta</a></li></ul>"
        "<div class='post'><a href='/u/gamma'>gamma</a> <span class='flair'>Vendor</span><p>Restocked.</p></div>"
        "<div class='post'><a href='/u/delta'>delta</a> <span class='flair'>Member</span><p>Thanks!</p></div>"
        "</body></html>"
    )
    names = [v.name for v in _vendors(html, "/forum/t/1")]
    assert names == ["alpha", "beta", "gamma"]


def test_single_listing_page_vendor_gets_the_pages_identifiers() -> None:
    item = offers("en", 0)[0]
    html = single_en(item).replace("</main>", "<p>Refunds to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq</p></main>")
    (vendor,) = _vendors(html, "/p/1")
    assert vendor.name == item.vendor
    assert vendor.listing_count == 1
    assert [p.value for p in vendor.payout] == ["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"]


def test_market_name_is_not_a_vendor() -> None:
    html = (
        "<html><head><title>Item - Kestrel</title></head><body><main><h1>Item</h1><p>Vendor: Kestrel</p>"
        "<p>Price: $20</p></main></body></html>"
    )
    assert _vendors(html, "/p/2") == []
