from __future__ import annotations

import pytest

from oniondex.listings.errors import ProfileError
from oniondex.listings.extract import default_profiles, listing_records
from oniondex.listings.profiles import parse_profile, select_profile
from oniondex.page import Page
from oniondex.quality.listings import served_pages


def test_shipped_profiles_load_and_are_distinct() -> None:
    names = [p.name for p in default_profiles()]
    assert len(names) == len(set(names)) >= 6


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"name": "x", "lists": {"item": "li", "fields": {"colour": "b"}}}, "lists.fields"),
        ({"name": "x", "match": {"detect": "li[["}}, "match.detect"),
        ({"name": "x", "surprise": 1}, "top level"),
        ({"name": "", "match": {}}, "name"),
        ({"name": "x", "vendor": {"urls": []}}, "vendor"),
    ],
)
def test_bad_profiles_name_the_file_and_the_place(data: dict, where: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile(data, "bad.yaml")
    assert caught.value.path == "bad.yaml"
    assert caught.value.where == where


def test_each_market_picks_its_own_profile_and_others_none(world) -> None:
    expected = {"table": "table-market", "cards": "cards-market", "deflist": "deflist-market",
                "rows": "rows-market", "bullets": "bullets-market", "korean": "korean-market"}  # fmt: skip
    for site in world.sites.values():
        for spec, page in served_pages(site):
            chosen = select_profile(page, default_profiles())
            if site.layout:
                assert getattr(chosen, "name", None) == expected[site.layout], page.url
            elif spec.listings or spec.vendors:
                assert chosen is None, (page.url, chosen.name)


def test_regex_rule_over_the_item_text() -> None:
    profile = parse_profile(
        {"name": "p", "match": {"detect": "ul.x"},
         "lists": {"item": "ul.x li", "fields": {"title": "a", "price": {"regex": r"costs (.+)$"}}}},
        "p.yaml",
    )  # fmt: skip
    page = Page("http://m.onion/", b"<ul class=x><li><a href='/1'>Hash</a> costs 12 USD</li></ul>")
    [item] = listing_records(page, profiles=[profile])
    assert (item.title, item.price, item.currency, item.extractor) == ("Hash", 12.0, "USD", "profile:p")
