"""Record regions the plain sibling rule misses or over-reads, on pages written for these tests: offers
nested in a card (a carousel of the shop's other offers), prices in a sentence beside the offer's own,
a rate ticker on a page with no offer, a category menu beside a single listing."""

from __future__ import annotations

from html import escape

from oniondex.listings import listing_records
from oniondex.listings.induce import learn_profile
from oniondex.page import Page

URL = "http://cardsmarketaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.onion/shop/list"


def _card(n: int, title: str, price: str, shop: str, more: list[tuple[str, str]]) -> str:
    slides = "".join(
        f"<div class='tile'><a href='/goods/{900 + n * 10 + k}?zone=4'><div class='tile-name'>{escape(t)}</div>"
        f"<span class='tile-cost'>from <span>{escape(p)}</span></span></a></div>"
        for k, (t, p) in enumerate(more)
    )
    carousel = f"<p>More from this shop:</p><div class='strip'><div class='belt'>{slides}</div></div>" if more else ""
    return (
        f"<div class='offer'><div class='pic'><a href='/goods/{n}?zone=4'><img alt='' src='/i/{n}.png'></a></div>"
        f"<div class='body'><div class='name'><a href='/goods/{n}?zone=4'>{escape(title)}</a></div>"
        f"<div class='shop'><a href='/shop/{n}'>{escape(shop)}</a></div>"
        f"<div class='blurb'>Couriers wanted, pay from 900 rub a drop.</div>"
        f"<div class='foot'><span class='cost'>from <span>{escape(price)}</span></span></div>"
        f"{carousel}</div></div>"
    )


def _cards_page(with_carousels: bool) -> str:
    offers = [
        ("Amber crystals 1g", "2 400 rub / 1g", "North Wind", [("Amber crystals 5g", "9 900 rub / 5g")]),
        ("Blue powder 2g", "3 100 rub / 2g", "Harbour | deals from 500r", []),
        ("Green buds 3g", "4 500 rub / 3g", "Meadow", [("Green buds 10g", "12 000 rub"), ("Resin 2g", "3 300 rub")]),
    ]
    cards = "".join(_card(n, t, p, s, more if with_carousels else []) for n, (t, p, s, more) in enumerate(offers, 1))
    body = f"<main><div class='list'>{cards}</div></main>"
    return f"<html><head><title>Catalogue</title></head><body>{body}</body></html>"


def _page(html: str, url: str = URL) -> Page:
    return Page(url, html.encode(), "text/html")


def _read(page: Page, profiles=None) -> list[tuple[str, float | None, str]]:
    return [(x.title, x.price, x.vendor) for x in listing_records(page, profiles=[] if profiles is None else profiles)]


WANT = [
    ("Amber crystals 1g", 2400.0, "North Wind"),
    ("Amber crystals 5g", 9900.0, "North Wind"),
    ("Blue powder 2g", 3100.0, "Harbour | deals from 500r"),
    ("Green buds 3g", 4500.0, "Meadow"),
    ("Green buds 10g", 12000.0, "Meadow"),
    ("Resin 2g", 3300.0, "Meadow"),
]


def test_offers_nested_in_a_card_are_listings_of_their_own_with_the_cards_vendor() -> None:
    # One carousel of one tile and one of two: the tile repeats in its strip only in the second.
    assert _read(_page(_cards_page(with_carousels=True))) == WANT


def test_the_offers_own_price_beats_prices_in_sentences_and_seller_names() -> None:
    found = _read(_page(_cards_page(with_carousels=False)))
    assert [price for _, price, _ in found] == [2400.0, 3100.0, 4500.0]


def test_profile_learned_on_a_page_without_carousels_reads_the_nested_offers_too() -> None:
    profile = learn_profile(
        _page(_cards_page(with_carousels=False)), "cards", title="Blue powder 2g", price="3100",
        vendor="Harbour | deals from 500r",
    )  # fmt: skip
    assert _read(_page(_cards_page(with_carousels=True)), [profile]) == WANT


def test_a_rate_ticker_in_a_menu_is_no_offer() -> None:
    html = (
        "<html><head><title>Messages</title></head><body><div class='bar'><ul><li><a>USD 61000.50</a></li>"
        "</ul></div><div class='content'><h2><a href='/messages'>Inbox</a></h2><p>No messages.</p></div>"
        "</body></html>"
    )
    assert listing_records(_page(html, "http://m.onion/messages"), profiles=[]) == []


def test_a_category_menu_beside_a_single_listing_is_not_its_category() -> None:
    menu = "".join(
        f"<li><a href='/items.php?category={n}'>Kind {chr(65 + n)}<span>{n * 7}</span></a></li>" for n in range(6)
    )
    html = (
        f"<html><head><title>Lamp oil 1l - Shop</title></head><body><div class='side'><ul>{menu}</ul></div>"
        "<div class='main'><h1>Lamp oil 1l</h1><p>Buy price: $25.00</p><p>Vendor: wick</p></div></body></html>"
    )
    found = listing_records(_page(html, "http://m.onion/item.php?id=5"), profiles=[])
    assert [(x.title, x.price, x.vendor, x.category) for x in found] == [("Lamp oil 1l", 25.0, "wick", "")]
