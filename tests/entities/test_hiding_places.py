"""Where entities hide: text, href URIs, attributes, comments, split tags, zero-width, defanged; not scripts."""

from __future__ import annotations

import pytest

from oniondex.entities import extract_entities
from oniondex.onion import onion_from_pubkey

BTC_P2PKH = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
BTC_TAPROOT = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
BTC_V0 = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
XMR = "42ey1afDFnn4886T7196doS9GPMzexD9gXpsZJDwVjeRVdFCSoHnv7KPbBeGpzJBzHRCAs9UxqeoyFQMYbqSWYTfJJQAWDm"
ETH = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
BCH = "qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"
XMR_INTEGRATED = (
    "4BxSHvcgTwu25WooY4BVmgdcKwZu5EksVZSZkDd6ooxSVVqQ4ubxXkhLF6hEqtw96i9cf3cVfLw8UWe95bdDKfRQeYtPwLm1Jiw7AKt2LY"
)
ONION = onion_from_pubkey(bytes(range(32)))


def found(page) -> dict[tuple[str, str], str]:
    return {(e.type, e.value): e.where for e in extract_entities(page, "2025-01-01T00:00:00Z")}


@pytest.mark.parametrize(
    ("html", "expected", "where"),
    [
        (f"<p>BTC: <code>{BTC_P2PKH}</code></p>", ("BTC", BTC_P2PKH), "text"),
        (f'<a href="bitcoin:{BTC_P2PKH}?amount=0.0125&label=x">pay</a>', ("BTC", BTC_P2PKH), "href"),
        (f'<a href="monero:{XMR}?tx_amount=1.5">pay</a>', ("XMR", XMR), "href"),
        (f'<a href="ethereum:{ETH}@1?value=1e18">pay</a>', ("ETH", ETH.lower()), "href"),
        (f'<a href="bitcoincash:{BCH}?amount=1">pay</a>', ("BCH", BCH), "href"),
        (f'<button title="{BTC_TAPROOT}" data-x="{BTC_TAPROOT}">copy</button>', ("BTC", BTC_TAPROOT), "attribute"),
        (f"<div><!-- payout: {XMR} --></div>", ("XMR", XMR), "comment"),
        (f"<p>pay <span>{BTC_V0[:4]}</span><span>{BTC_V0[4:20]}</span><b>{BTC_V0[20:]}</b>", ("BTC", BTC_V0), "text"),
        (f"<p>pay {BTC_V0[:8]}\u200b{BTC_V0[8:16]}\u200c{BTC_V0[16:]}\ufeff</p>", ("BTC", BTC_V0), "text"),
        (f"<p>pay {BTC_V0[:8]}&#8203;{BTC_V0[8:]}</p>", ("BTC", BTC_V0), "text"),
        (f"<p>mirror: hxxp://{ONION[:-6]}[.]onion/market</p>", ("onion", ONION), "text"),
        (f"<p>mirror: {ONION[:-6].upper()}(.)onion</p>", ("onion", ONION), "text"),
        (f"<p>BCH BITCOINCASH:{BCH.upper()}</p>", ("BCH", BCH), "text"),
    ],
)
def test_entity_found_where_it_hides(page_factory, html: str, expected: tuple[str, str], where: str) -> None:
    assert found(page_factory(f"<html><body>{html}</body></html>")).get(expected) == where


@pytest.mark.parametrize("tag", ["script", "style", "template"])
def test_nothing_is_taken_from_scripts_and_styles(page_factory, tag: str) -> None:
    html = f'<html><body><{tag} data-x="{BTC_P2PKH}">var a = "{BTC_P2PKH}"; /* {ETH} */</{tag}></body></html>'
    assert found(page_factory(html)) == {}


def test_provenance_fields(page_factory) -> None:
    page = page_factory(f"<p>Send BTC to {BTC_P2PKH} today</p>", url=f"http://{ONION}/shop?id=3")
    (entity,) = extract_entities(page, "2025-02-03T04:05:06Z")
    assert entity.url == f"http://{ONION}/shop?id=3"
    assert entity.site == ONION
    assert entity.seen_at == "2025-02-03T04:05:06Z"
    assert entity.where == "text"
    assert page.text[entity.offset : entity.offset + len(BTC_P2PKH)] == BTC_P2PKH
    assert entity.snippet == f"Send BTC to {BTC_P2PKH} today"
    assert entity.kind == "p2pkh"


def test_each_entity_is_reported_once_per_page(page_factory) -> None:
    html = f'<p>{BTC_P2PKH}</p><a href="bitcoin:{BTC_P2PKH}">x</a><!-- {BTC_P2PKH} -->'
    entities = extract_entities(page_factory(html))
    assert [(e.type, e.where) for e in entities] == [("BTC", "text")]


def test_plain_text_pages_are_searched(page_factory) -> None:
    page = page_factory(f"BTC {BTC_P2PKH}\nmail: a@b.cd", content_type="text/plain")
    assert set(found(page)) == {("BTC", BTC_P2PKH), ("email", "a@b.cd")}


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        (BTC_V0.upper(), ("BTC", BTC_V0)),
        ("ltc1qhdhvrwe6rgqns8fz28tee0hphr5x7ulw5exv4w", ("LTC", "ltc1qhdhvrwe6rgqns8fz28tee0hphr5x7ulw5exv4w")),
        ("LT2KVaAy1ppRuxRgrS5RNU3vBsy7RibPeA", ("LTC", "LT2KVaAy1ppRuxRgrS5RNU3vBsy7RibPeA")),
        ("MHrYRxAiMNBTku3eoDHwhA1LQGDjUStZW2", ("LTC", "MHrYRxAiMNBTku3eoDHwhA1LQGDjUStZW2")),
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", ("BTC", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")),
        ("DEQU7G2Chw4r1gSKZt2GfKBpGbkbQSwp3S", ("DOGE", "DEQU7G2Chw4r1gSKZt2GfKBpGbkbQSwp3S")),
        ("A36czoRusM4VxnNiEjTaaDcMyr4GB73xw1", ("DOGE", "A36czoRusM4VxnNiEjTaaDcMyr4GB73xw1")),
        ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", ("TRX", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")),
        ("t1VmmGiyjVNeCjxDZzg7vZmd99WyzVby9yC", ("ZEC", "t1VmmGiyjVNeCjxDZzg7vZmd99WyzVby9yC")),
        ("XgkpWEFe59pX3aMhx6PrDawjNnoZKHeZbp", ("DASH", "XgkpWEFe59pX3aMhx6PrDawjNnoZKHeZbp")),
        ("7eprxeVjKfVgS8p2RNsZ89K72YV61xg4gq", ("DASH", "7eprxeVjKfVgS8p2RNsZ89K72YV61xg4gq")),
        ("0xde709f2102306220921060314715629080e2fb77", ("ETH", "0xde709f2102306220921060314715629080e2fb77")),
        ("8AsN91rznfkBGTY8psSNkJBg9SZgxxGGRUhGwRptBhgr5XSQ1XzmA9m8QAnoxydecSh5aLJXdrgXwTDMMZ1AuXsN1EX5Mtm",
         ("XMR", "8AsN91rznfkBGTY8psSNkJBg9SZgxxGGRUhGwRptBhgr5XSQ1XzmA9m8QAnoxydecSh5aLJXdrgXwTDMMZ1AuXsN1EX5Mtm")),
        (XMR_INTEGRATED, ("XMR", XMR_INTEGRATED)),
    ],
)  # fmt: skip
def test_every_coin_is_found_and_normalised(page_factory, shown: str, expected: tuple[str, str]) -> None:
    assert expected in found(page_factory(f"<p>주소: {shown}입니다</p>"))
