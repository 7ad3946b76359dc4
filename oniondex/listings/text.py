"""Visible text of one element, block elements on their own lines (as `Page.text` does for a page)."""

from __future__ import annotations

import re

from lxml import etree

_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "select"})
_BLOCKS = frozenset(
    "p div br li tr h1 h2 h3 h4 h5 h6 dt dd pre blockquote section article header footer table ul ol dl form hr".split()
)
_INLINE_GAPS = frozenset({"td", "th", "img", "input", "button", "label", "option"})
_SPACES_RE = re.compile(r"[ \t\r\f\v\u00a0\u200b\u200c\ufeff]+")


def element_text(element: etree._Element, lines: bool = False) -> str:
    """The text a reader sees in `element`; one line unless `lines`."""
    if not lines and not len(element) and isinstance(element.tag, str) and element.tag not in _INVISIBLE:
        return _SPACES_RE.sub(" ", (element.text or "").replace("\n", " ")).strip()  # a leaf: most links
    parts: list[str] = []
    _walk(element, parts, top=True)
    text = "".join(parts)
    if not lines:
        return _SPACES_RE.sub(" ", text.replace("\n", " ")).strip()
    # The space runs never hold a line break: squashed in one pass, then each line stripped.
    squashed = (line.strip() for line in _SPACES_RE.sub(" ", text).split("\n"))
    return "\n".join(line for line in squashed if line)


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
