"""The page index reads what the per-element readers it replaces read: XPath `.//text()` for an
element's text nodes, the element (or a tail's parent) each shows in, and `element_text`'s walk."""

from __future__ import annotations

import pytest
from lxml import etree

from oniondex.listings.generic import link_title
from oniondex.listings.money import find_prices
from oniondex.listings.text import _SPACES_RE, _TEXT_NODES_XPATH, _walk, element_text, squash, text_holders, text_nodes
from oniondex.listings.textindex import index_of, page_index
from tests.listings.layouts import DEV, HELD_OUT, offers

TRICKY = (
    "<div class='card'>Pack <b>of</b> 10<!-- note -->$ 20<?pi x?>after<br>line"
    "<script>var p = '$5';</script>tail <select><option>$1</option></select>$ 30"
    "<nav><a href='/c/1'>$ 2 menu</a></nav><p>x<span> 5 USD </span>y</p></div>"
    "<table><tr><th>Price</th><td>€ 7</td></tr></table><a href='/v/bob'>bob <i>(9)</i></a>"
)


def _pages():
    yield "tricky", f"<html><head><title>t</title></head><body>{TRICKY}</body></html>"
    for name, (layout, lang) in {**DEV, **HELD_OUT}.items():
        yield name, layout(offers(lang, seed=3))


@pytest.mark.parametrize(("name", "html"), list(_pages()))
def test_index_reads_what_the_element_readers_read(name: str, html: str) -> None:
    tree = etree.HTML(html)
    index = page_index(tree)
    assert index_of(tree.find("body")) is index
    checked = 0
    for element in tree.find("body").iter(etree.Element):
        nodes = _TEXT_NODES_XPATH(element)
        assert text_nodes(element) == list(nodes), name
        expected = [n.getparent().getparent() if n.is_tail else n.getparent() for n in nodes]
        got = text_holders(element, list(range(len(nodes))))
        assert all(a is b for a, b in zip(got, expected, strict=True)), name
        parts: list[str] = []
        _walk(element, parts, top=True)
        pieces = index.shown_pieces(element)
        if pieces is not None:
            checked += 1
            assert "".join(pieces) == "".join(parts), name
    assert checked > 3


def test_anchors_are_price_texts_outside_chrome_in_page_order() -> None:
    tree = etree.HTML(f"<html><body>{TRICKY}</body></html>")
    anchors = page_index(tree).anchors
    # The card's own text "$ 20" is a comment's tail, "$ 30" a select's tail: both the card's; the span's
    # price, the table cell's; not the script's, the option's or the menu link's.
    assert [a.tag for a in anchors] == ["div", "span", "td"]
    assert [a.get("href") for a in page_index(tree).links] == ["/c/1", "/v/bob"]


def test_element_text_outside_an_indexed_tree_walks_the_element() -> None:
    tree = etree.HTML("<html><body><div><p>a</p><p>b</p></div></body></html>")
    assert index_of(tree) is None
    assert element_text(tree.find(".//div"), lines=True) == "a\nb"


@pytest.mark.parametrize(
    "html",
    [
        "<a href='/v/bob'> \u00a0bob\t (9) \u200b</a>",
        "<td>  \u20ac 7 \ufeff</td>",
        "<a href='/i/1'> <b>Pack</b>  of\u00a0\u00a010 </a>",
        "<span>\u2003x\u2003</span>",
        "<a href='/i/2'><img src='x'> <span> </span></a>",
        "<a href='/i/3'>Widget<br>$ 5</a>",
    ],
)
def test_one_line_text_reads_as_the_line_rule(html: str) -> None:
    """A text without a line break is squashed and stripped without the split and join; the same as
    the line rule, and a link's title the same as its squashed lines."""
    element = etree.HTML(f"<html><body>{html}</body></html>").find("body")[0]
    parts: list[str] = []
    _walk(element, parts, top=True)
    lines = [kept for line in _SPACES_RE.sub(" ", "".join(parts)).split("\n") if (kept := line.strip())]
    assert element_text(element, lines=True) == "\n".join(lines)
    plain = [line for line in lines if not find_prices(line)]
    expected = plain[0] if len(lines) > 1 and plain and len(plain) < len(lines) else squash(" ".join(lines))
    assert link_title(element) == expected
