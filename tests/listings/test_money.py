from __future__ import annotations

import pytest

from oniondex.listings.money import find_prices, parse_number


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$126.00", 126.0, "USD"),
        ("USD 1,200", 1200.0, "USD"),
        ("120 dollars", 120.0, "USD"),
        ("82,80 €", 82.8, "EUR"),
        ("Preis: 25,50 Euro", 25.5, "EUR"),
        ("1.234,56 EUR", 1234.56, "EUR"),
        ("0.00126 BTC", 0.00126, "BTC"),
        ("₿0.00095", 0.00095, "BTC"),
        ("0.281 monero", 0.281, "XMR"),
        ("ɱ0.563", 0.563, "XMR"),
        ("13만원", 130000.0, "KRW"),
        ("126,000원", 126000.0, "KRW"),
        ("₩126,000", 126000.0, "KRW"),
        ("2 500 ₽", 2500.0, "RUB"),
        ("2500 рублей", 2500.0, "RUB"),
        ("4800 руб.", 4800.0, "RUB"),
        ("30 долларов", 30.0, "USD"),
        ("50 евро", 50.0, "EUR"),
    ],
)
def test_price_and_currency(text: str, amount: float, currency: str) -> None:
    found = find_prices(text)
    assert [(p.amount, p.currency) for p in found] == [(amount, currency)]


@pytest.mark.parametrize("text", ["XMR: 48abcdefgh", "monero 4AdUndXHHZ", "10 pills", "3.5g", "tx 0x12ab"])
def test_not_a_price(text: str) -> None:
    assert find_prices(text) == []


def test_lone_dot_in_coin_price_is_decimal() -> None:
    assert parse_number("0.125", "BTC") == 0.125
    assert parse_number("1.500", "BTC") == 1.5
    assert parse_number("1.500", "EUR") == 1500.0


@pytest.mark.parametrize("text", ["12 u\u017fd", "USD 1,234.500.0012", "\u017fUSD 5"])
def test_unreadable_figures_are_no_price_and_no_crash(text: str) -> None:
    """Hostile text the case-blind pattern matches but cannot read: a long s taken for an s, digits
    grouped past their decimals. Extraction must not fail on them."""
    found = find_prices(text)
    assert all(p.amount > 0 for p in found)
    assert not any(p.text in ("12 u\u017fd", "USD 1,234.500.0012") for p in found)
