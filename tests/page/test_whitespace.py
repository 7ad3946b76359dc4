"""How page text squashes white space: runs of spaces, tabs and NBSPs to one space, lines stripped, blank
lines dropped, every line boundary a newline."""

from __future__ import annotations

import sys

import pytest

from oniondex.page import _OTHER_SPACES, Page


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>a  \t\u00a0 b</p>", "a b"),
        ("<p>  a </p>\n\n   <p>\tb\u00a0</p>", "a\nb"),
        ("<pre>a\r\nb\rc\u2028d\x0ce</pre>", "a\nb\nc\nd\ne"),
        ("<p>a\u2003\u2003b\u3000</p><p>\u2003c</p>", "a\u2003\u2003b\nc"),
        ("<p>a " + " " * 5000 + "b</p>", "a b"),
        ("<p>a \u2003 \n \u00a0 b</p>", "a\nb"),
    ],
)
def test_text_squashes_white_space(markup: str, text: str) -> None:
    assert Page("http://abc.onion/", f"<html><body>{markup}</body></html>".encode()).text == text


def test_other_spaces_are_every_white_space_but_newline_and_space() -> None:
    every = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(_OTHER_SPACES) == every - {"\n", " "}
