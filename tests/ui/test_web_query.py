"""The search box's field:value operators."""

from __future__ import annotations

from web.query import parse, with_filter, without_filter


def test_operators_become_filters():
    parsed = parse('"full escrow" OR 아이스 btc:bc1qx site:abc lang:ko tag:meth type:btc after:2026-01-01 -NOT')
    q = parsed.query
    assert q.text == '"full escrow" OR 아이스 -NOT'
    assert (q.entity, q.site, q.language, q.tags, q.entity_type) == ("bc1qx", "abc.onion", "ko", ("meth",), "BTC")
    assert q.date_from == "2026-01-01T00:00:00+00:00"


def test_vendor_is_searched_as_a_phrase_and_bad_values_are_reported():
    parsed = parse('vendor:"Seoul Supply" before:yesterday http://x.onion/a')
    assert parsed.query.text == 'http://x.onion/a "Seoul Supply"'
    assert parsed.ignored == ("before:yesterday (dates are YYYY-MM-DD)",)


def test_filters_add_and_remove():
    text = with_filter("아이스", "site", "a b")
    assert text == '아이스 site:"a b"'
    assert without_filter(text, "site", "a b") == "아이스"
