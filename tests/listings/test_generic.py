"""The generic extractor on markups it names in its contract, in English, Korean, Russian and German."""

from __future__ import annotations

from oniondex.listings import listing_records
from oniondex.listings.vocabulary import shipping


def _one(page) -> dict:
    found = listing_records(page, "2026-01-01T00:00:00Z", profiles=[])
    assert len(found) == 1, found
    return found[0]


def test_table_rows_under_a_header_give_one_listing_each(page_of) -> None:
    html = (
        "<table><tr><th>Product</th><th>Seller</th><th>Price</th><th>Origin</th><th>Destination</th></tr>"
        "<tr><td><a href='/i/1'>Speed 1g</a></td><td>Bob</td><td>$20</td><td>UK</td><td>EU</td></tr>"
        "<tr><td><a href='/i/2'>Speed 5g</a></td><td>Bob</td><td>$90</td><td>UK</td><td>EU</td></tr></table>"
    )
    found = listing_records(page_of(html), profiles=[])
    assert [(x.title, x.price, x.vendor, x.ships_from, x.ships_to) for x in found] == [
        ("Speed 1g", 20.0, "Bob", "UK", "EU"),
        ("Speed 5g", 90.0, "Bob", "UK", "EU"),
    ]
    assert found[0].url == "http://market.onion/i/1"


def test_sold_by_and_member_link(page_of) -> None:
    html = (
        "<div class='p'><a href='/t/9'>Blue Tesla x10</a> 35 EUR — sold by "
        "<a href='/index.php?member=Pillz'>Pillz</a> — ships from Germany to Worldwide</div>"
        "<div class='p'><a href='/t/10'>Pink x10</a> 30 EUR — sold by "
        "<a href='/index.php?member=Pillz'>Pillz</a> — ships from Germany to Worldwide</div>"
    )
    found = listing_records(page_of(html), profiles=[])
    assert {(x.vendor, x.ships_from, x.ships_to, x.currency) for x in found} == {
        ("Pillz", "Germany", "Worldwide", "EUR")
    }


def test_russian_listing_page_with_labels(page_of) -> None:
    html = (
        "<main><h2>Мефедрон 1 г</h2><ul><li>Цена: 2 500 ₽</li><li>Продавец: Север</li>"
        "<li>Отправка из: Москва</li><li>Доставка: Россия</li></ul></main>"
    )
    item = _one(page_of(html, "http://shop.onion/tovar/1"))
    assert (item.title, item.price, item.currency, item.vendor) == ("Мефедрон 1 г", 2500.0, "RUB", "Север")
    assert (item.ships_from, item.ships_to) == ("Москва", "Россия")


def test_german_definition_list(page_of) -> None:
    html = (
        "<main><h2>Haze 5g</h2><dl><dt>Preis</dt><dd>45,00 €</dd><dt>Verkäufer</dt><dd>GruenerDaumen</dd>"
        "<dt>Versand aus</dt><dd>Deutschland</dd><dt>Versand nach</dt><dd>EU</dd></dl></main>"
    )
    item = _one(page_of(html, "http://markt.onion/angebot/5"))
    assert (item.price, item.currency, item.vendor, item.ships_from, item.ships_to) == (
        45.0, "EUR", "GruenerDaumen", "Deutschland", "EU",
    )  # fmt: skip


def test_korean_label_span_rows(page_of) -> None:
    html = (
        "<main><h2>아이스 1g</h2><p><strong>가격</strong> 30만원</p><p><strong>판매자</strong> 빙수</p>"
        "<p><strong>발송지</strong> 부산</p><p><strong>배송지역</strong> 전국</p></main>"
    )
    item = _one(page_of(html, "http://ko.onion/goods/1"))
    assert (item.price, item.currency, item.vendor, item.ships_from, item.ships_to) == (
        300000.0, "KRW", "빙수", "부산", "전국",
    )  # fmt: skip


def test_page_without_prices_has_no_listings(page_of) -> None:
    assert listing_records(page_of("<p>Welcome. Vendor: nobody.</p>"), profiles=[]) == []


def test_shipping_phrases_read_the_same_with_the_key_test() -> None:
    """The arrow and Korean patterns run only on text holding their key; what they find is unchanged."""
    assert shipping("Germany → Worldwide") == ("Germany", "Worldwide")
    assert shipping("NL -> EU") == ("NL", "EU")
    assert shipping("독일에서 한국으로 배송") == ("독일", "한국")
    assert shipping("Ships from Spain to Europe") == ("Spain", "Europe")
    assert shipping("Quality goods shipped worldwide with tracking. " * 40) is None
