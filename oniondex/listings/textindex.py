"""One walk over a page's body that the listing and vendor readers share, instead of each reader walking
the subtrees it looks at again and again.

The walk lays the body out flat, in document order:
- every text node (an element's text, a node's tail) with the element it shows in: what XPath
  `.//text()` returns, so an element's text nodes are a slice of one list;
- the pieces `element_text` joins (text, tails, line breaks after blocks, gaps after cells), so the
  visible text of an element is one join of a slice;
- the price anchors (elements whose own text shows a price, outside page chrome) and the links.

Built once per tree by `page_index`; `built_index` finds it without building it, for readers that are
also used on trees nobody indexed (a walk of a small subtree costs less than indexing the page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree

from oniondex.listings.money import find_prices

# What `element_text` leaves out, breaks lines after, and puts a space after (text.py reads these too).
INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "select"})
BLOCKS = frozenset(
    "p div br li tr h1 h2 h3 h4 h5 h6 dt dd pre blockquote section article header footer table ul ol dl form hr".split()
)
INLINE_GAPS = frozenset({"td", "th", "img", "input", "button", "label", "option"})
# Text under these is no offer's price: scripts, menus, page header and footer, drop-down lists.
PAGE_CHROME = frozenset({"script", "style", "noscript", "template", "nav", "header", "footer", "select"})
_NO_ANCHOR_TEXT = frozenset({"script", "style", "option"})  # an <option>'s text and tail are page chrome
_DIGIT_RE = re.compile(r"\d")
_KEPT = 2  # indexes kept: the page being read and the one before


@dataclass
class TextIndex:
    """A page body's text laid out flat (see the module's docstring)."""

    texts: list[str] = field(default_factory=list)  # text nodes, document order
    # The element each text node shows in: `holders[i]`, or its child at `places[i]` when that is not -1.
    holders: list[etree._Element] = field(default_factory=list)
    places: list[int] = field(default_factory=list)
    text_spans: dict[etree._Element, tuple[int, int]] = field(default_factory=dict)  # element -> its texts
    pieces: list[str] = field(default_factory=list)  # what `element_text` joins, document order
    piece_spans: dict[etree._Element, tuple[int, int]] = field(default_factory=dict)  # shown elements
    anchor_order: dict[etree._Element, None] = field(default_factory=dict)  # price anchors, page order
    link_list: list[etree._Element] = field(default_factory=list)  # <a href>, document order

    @cached_property
    def anchors(self) -> tuple[etree._Element, ...]:
        """Elements whose own text shows a price, in page order (page chrome and scripts left out)."""
        return tuple(self.anchor_order)

    @cached_property
    def links(self) -> tuple[etree._Element, ...]:
        return tuple(self.link_list)

    def texts_of(self, element: etree._Element) -> list[str] | None:
        """`element`'s text nodes (what `.//text()` gives); None for an element outside the body or
        without children."""
        span = self.text_spans.get(element)
        return None if span is None else self.texts[span[0] : span[1]]

    def holders_of(self, element: etree._Element, numbers: list[int]) -> list[etree._Element]:
        """The element each of these text nodes of `element` (places in `texts_of(element)`) shows in."""
        start = self.text_spans[element][0]
        out = []
        for number in numbers:
            holder, place = self.holders[start + number], self.places[start + number]
            out.append(holder if place < 0 else holder[place])
        return out

    def shown_pieces(self, element: etree._Element) -> list[str] | None:
        """The pieces `element_text` joins for `element`; None where the index has none (an element in
        a hidden part, outside the body, or without children)."""
        span = self.piece_spans.get(element)
        return None if span is None else self.pieces[span[0] : span[1]]


_INDEXES: list[tuple[etree._Element, TextIndex]] = []


def page_index(tree: etree._Element) -> TextIndex:
    """The index of `tree`'s body (of the whole tree when it has none), built on first use."""
    found = built_index(tree)
    if found is None:
        body = tree.find("body")
        found = _index(body if body is not None else tree, body)
        _INDEXES.append((tree, found))
        del _INDEXES[:-_KEPT]
    return found


def built_index(tree: etree._Element) -> TextIndex | None:
    """The index of `tree` if one was built (trees are compared by identity)."""
    for indexed, index in _INDEXES:
        if indexed is tree:
            return index
    return None


def index_of(element: etree._Element) -> TextIndex | None:
    """The built index of the tree `element` is in, if any."""
    return built_index(element.getroottree().getroot()) if _INDEXES else None


def _index(top: etree._Element, body: etree._Element | None) -> TextIndex:
    index = TextIndex()
    texts, holders, pieces = index.texts, index.holders, index.pieces
    text_spans, piece_spans = index.text_spans, index.piece_spans
    anchors, links, places = index.anchor_order, index.link_list, index.places
    has_digit = _DIGIT_RE.search  # what `find_prices` tests first, without a call for most text nodes

    def visit(node: etree._Element, parent: etree._Element | None, place: int, shown: bool, chrome: bool) -> None:
        """`place`: the node's place among its parent's children; `shown`: the parent's text is shown (no
        hidden element above); `chrome`: the parent is in page chrome. Anchors are noted in preorder, a
        node's tail with the node, as a scan of `top.iter()` meets them. Only elements with children are
        kept (in the spans and as holders): a leaf is its parent's child at `place`, and keeping every
        element alive costs more in garbage collection than the walk."""
        tag, tail = node.tag, node.tail
        element = isinstance(tag, str)
        own = node.text if element else None
        in_chrome = chrome or tag in PAGE_CHROME
        if own and not in_chrome and has_digit(own) and tag not in _NO_ANCHOR_TEXT and find_prices(own):
            anchors.setdefault(node, None)
        if (
            tail
            and not chrome
            and not tail.isspace()  # most tails are the markup's line breaks: cheaper than the digit search
            and has_digit(tail)
            and parent is not None
            and node is not body
            and tag != "option"
            and find_prices(tail)
        ):
            anchors.setdefault(parent, None)
        if element:
            inner = len(node) > 0
            if inner:  # spans are kept for elements with children only
                start = len(texts)
            if own:
                texts.append(own)
                if inner or parent is None:
                    holders.append(node)
                    places.append(-1)
                else:
                    holders.append(parent)
                    places.append(place)
            if tag == "a" and node.get("href"):
                links.append(node)
            visible = shown and tag not in INVISIBLE
            if visible:
                # Only pieces that add text are kept (an inline element's empty opening and closing add none).
                block = tag in BLOCKS
                if block:
                    pieces.append("\n")
                if inner:
                    first = len(pieces)
                if own:
                    pieces.append(own)
            if inner:
                for number, child in enumerate(node):
                    visit(child, node, number, visible, in_chrome)  # noqa: F821 (deleted after the walk)
                text_spans[node] = (start, len(texts))
            if visible:
                if block:
                    pieces.append("\n")
                elif tag in INLINE_GAPS:
                    pieces.append(" ")
                if inner:
                    piece_spans[node] = (first, len(pieces))
        if tail and parent is not None:
            texts.append(tail)
            holders.append(parent)
            places.append(-1)
            if shown:
                pieces.append(tail)

    # Recursion is safe: libxml2 cuts HTML nesting at 256 levels.
    parent = top.getparent()
    chrome = parent is not None and any(e.tag in PAGE_CHROME for e in (parent, *parent.iterancestors()))
    visit(top, None, 0, True, chrome)
    # `visit` holds itself through its closure: left alone, that cycle would keep the page's lists and tree
    # alive until the cyclic garbage collector happened to run.
    del visit
    return index
