"""Visible text of one element, block elements on their own lines (as `Page.text` does for a page), and its
text nodes; read from the page index (textindex) when the listing pass built one, else by walking the element."""

from __future__ import annotations

import re

from lxml import etree

from oniondex.listings.textindex import BLOCKS as _BLOCKS
from oniondex.listings.textindex import INLINE_GAPS as _INLINE_GAPS
from oniondex.listings.textindex import INVISIBLE as _INVISIBLE
from oniondex.listings.textindex import index_of

_SPACES_RE = re.compile(r"[ \t\r\f\v\u00a0\u200b\u200c\ufeff]+")
# The text nodes under an element, as plain strings (no node objects made, far cheaper) and as nodes (for
# the few a reader needs the element of: one by one when few, else all in one pass).
_TEXTS_XPATH = etree.XPath(".//text()", smart_strings=False)
_TEXT_NODES_XPATH = etree.XPath(".//text()")
_NTH_TEXT_XPATH = etree.XPath("(.//text())[$n]")
_ONE_BY_ONE = 4


def text_nodes(element: etree._Element) -> list[str]:
    """The strings of `element`'s text nodes (its text, its descendants' text and tails), in page order."""
    index = index_of(element)
    found = index.texts_of(element) if index is not None else None
    return _TEXTS_XPATH(element) if found is None else found


def text_holders(element: etree._Element, numbers: list[int]) -> list[etree._Element | None]:
    """The element each of these text nodes of `element` (places in `text_nodes(element)`) shows in:
    a text's own element, a tail's parent."""
    index = index_of(element)
    if index is not None and element in index.text_spans:
        return list(index.holders_of(element, numbers))
    holders: list[etree._Element | None] = []
    for node in _text_nodes_at(element, numbers):
        holder = node.getparent()
        holders.append(holder.getparent() if holder is not None and node.is_tail else holder)
    return holders


def _text_nodes_at(element: etree._Element, numbers: list[int]) -> list[etree._ElementUnicodeResult]:
    """The text nodes of `element` at these places (from 0) of `text_nodes(element)`: `getparent()`,
    `is_tail`."""
    if len(numbers) <= _ONE_BY_ONE:
        return [_NTH_TEXT_XPATH(element, n=number + 1)[0] for number in numbers]
    nodes = _TEXT_NODES_XPATH(element)
    return [nodes[number] for number in numbers]


def element_text(element: etree._Element, lines: bool = False) -> str:
    """The text a reader sees in `element`; one line unless `lines`."""
    if not lines and not len(element) and isinstance(element.tag, str) and element.tag not in _INVISIBLE:
        return _SPACES_RE.sub(" ", (element.text or "").replace("\n", " ")).strip()  # a leaf: most links
    tag = element.tag if isinstance(element.tag, str) else ""
    if not len(element) and tag not in _INVISIBLE:  # a leaf, as `_walk` reads it
        text = (element.text or "") if tag else ""
        text += "\n" if tag in _BLOCKS else (" " if tag in _INLINE_GAPS else "")
    else:
        index = index_of(element)
        parts = index.shown_pieces(element) if index is not None else None
        if parts is None:
            parts = []
            _walk(element, parts, top=True)
        text = "".join(parts)
    if not lines:
        return _SPACES_RE.sub(" ", text.replace("\n", " ")).strip()
    if "\n" not in text:  # one line (most links and cells): nothing to split
        return _SPACES_RE.sub(" ", text).strip()
    # The space runs never hold a line break: squashed in one pass, then each line stripped (a list, not
    # generators: a few hundred calls a page, most of a handful of lines).
    return "\n".join([kept for line in _SPACES_RE.sub(" ", text).split("\n") if (kept := line.strip())])


def _walk(element: etree._Element, out: list[str], top: bool = False) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag and tag not in _INVISIBLE:
        if tag in _BLOCKS and not top:
            out.append("\n")  # a block starts a line too: "<span>a</span><p>b</p>" reads "a" / "b"
        out.append(element.text or "")
        for child in element:
            _walk(child, out)
        out.append("\n" if tag in _BLOCKS else (" " if tag in _INLINE_GAPS else ""))
    if not top and element.tail:
        out.append(element.tail)


def squash(text: str) -> str:
    return _SPACES_RE.sub(" ", text).strip()
