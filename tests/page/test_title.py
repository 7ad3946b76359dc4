"""The title is the first <title> in document order, wherever the parser put it."""

from __future__ import annotations

import pytest

from oniondex.page import Page


@pytest.mark.parametrize(
    ("markup", "title"),
    [
        ("<html><head><title> Shop  one </title></head><body><title>two</title></body></html>", "Shop one"),
        ("<html><head><meta charset=utf-8></head><body><p>x</p><title>late</title></body></html>", "late"),
        ("<p>no head</p><svg><title>in svg</title></svg>", "in svg"),
        ("<html><body><p>none</p></body></html>", ""),
    ],
)
def test_title_is_the_first_in_the_document(markup: str, title: str) -> None:
    assert Page("http://abc.onion/", markup.encode()).title == title
