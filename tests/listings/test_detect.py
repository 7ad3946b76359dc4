"""A profile's detect selectors are skipped when the tree lacks what they need: the skip must never
change whether a profile fits."""

from __future__ import annotations

import pytest

from oniondex.listings.profiles import parse_profile, selector_needs
from oniondex.page import Page

PAGE = Page(
    "http://shop.onion/",
    b"<html><head><meta class='gen x'></head><body><main><dl class='offer big'><dt>Price</dt></dl>"
    b"<div class='row'><label>a</label><span class='val'>1</span></div>"
    b"<ul><li class='k'><a href='/p/1'>x</a></li></ul></main></body></html>",
)


@pytest.mark.parametrize(
    "css",
    [
        "dl.offer",
        "dl.big.offer",
        "main > dl",
        "div.row > label + span.val",
        "meta.gen",
        ".x",
        "li:has(> a[href^='/p/'])",
        "li.k:not(.other)",
        "dl:not(.offer)",
        "div.offer",
        "span.row",
        "section",
        "a, section.none",
        ":is(.absent) dt",
        "dl.absent",
        "main dl.offer dt",
        "*.val",
    ],
)
def test_detect_agrees_with_the_selector_run_on_the_tree(css: str) -> None:
    profile = parse_profile(
        {"name": "t", "match": {"detect": [css]}, "lists": {"item": "li", "fields": {"title": "a"}}}, "t"
    )
    assert profile.fits(PAGE) == bool(profile.detect[0](PAGE.tree))


def test_needs_come_only_from_parts_that_must_hold() -> None:
    assert selector_needs("div.card > div.card-meta") == (
        frozenset({"div"}),
        frozenset({("div", "card"), ("div", "card-meta")}),
    )
    assert selector_needs("a:not(.x)") == (frozenset({"a"}), frozenset())
    assert selector_needs("a, b.c") == (frozenset(), frozenset())
    assert selector_needs(".z") == (frozenset(), frozenset({("", "z")}))
