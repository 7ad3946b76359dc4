"""A fetched page as extraction sees it: bytes in, decoded text, title and links out.

Pure: no Scrapy, no network. Every extractor takes a `Page`, so it can be tested on saved bytes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from w3lib.encoding import html_to_unicode

# Text that is not part of the page's body text: scripts, styles, templates, and <head> (its <title> is
# kept as the title).
_INVISIBLE = ("script", "style", "noscript", "template", "head")
_SPACE_RE = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES_RE = re.compile(r"\n\s*\n+")
# Elements after which a reader sees a line break.
_BLOCK_TAGS = frozenset(
    "p div br li tr td th h1 h2 h3 h4 h5 h6 dt dd pre blockquote section article header footer "
    "table ul ol dl form title hr".split()
)


@dataclass(frozen=True)
class Page:
    url: str
    body: bytes
    content_type: str = "text/html"
    status: int = 200

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @cached_property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @cached_property
    def _decoded(self) -> tuple[str, str]:
        encoding, text = html_to_unicode(self.content_type, self.body)
        return encoding, text

    @property
    def encoding(self) -> str:
        return self._decoded[0]

    @property
    def unicode(self) -> str:
        """The whole body decoded (declared charset, BOM or meta tag; UTF-8 with replacement otherwise)."""
        return self._decoded[1]

    @property
    def is_html(self) -> bool:
        ctype = self.content_type.split(";", 1)[0].strip().lower()
        return ctype in ("text/html", "application/xhtml+xml", "")

    @cached_property
    def tree(self) -> lxml.html.HtmlElement | None:
        """The parsed HTML, or None for a non-HTML or unparseable body."""
        if not self.is_html or not self.unicode.strip():
            return None
        parser = lxml.html.HTMLParser(remove_comments=False, no_network=True, recover=True)
        try:
            return lxml.html.document_fromstring(self.unicode, parser=parser)
        except (etree.ParserError, ValueError):
            return None

    @cached_property
    def title(self) -> str:
        if self.tree is None:
            return ""
        found = self.tree.find(".//title")
        return _squash(found.text_content()) if found is not None else ""

    @cached_property
    def text(self) -> str:
        """What a reader sees: visible text, block elements on their own lines."""
        if self.tree is None:
            return _squash(self.unicode) if not self.is_html else ""
        parts: list[str] = []
        _visible_text(self.tree, parts)
        return _squash("".join(parts))

    @cached_property
    def links(self) -> list[str]:
        """Absolute http(s) link targets in document order, without fragments, de-duplicated."""
        if self.tree is None:
            return []
        seen: dict[str, None] = {}
        for element in self.tree.iter("a", "area"):
            href = (element.get("href") or "").strip()
            if not href or href.startswith(("#", "javascript:", "mailto:", "data:")):
                continue
            absolute = urljoin(self.url, href).split("#", 1)[0]
            if absolute.startswith(("http://", "https://")):
                seen.setdefault(absolute, None)
        return list(seen)


def _visible_text(element: etree._Element, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _INVISIBLE or not isinstance(element.tag, str):
        # Comments and processing instructions are not visible; their tail is.
        if element.tail:
            out.append(element.tail)
        return
    if element.text:
        out.append(element.text)
    for child in element:
        _visible_text(child, out)
    # A line break after blocks, a space after inline elements, so "<b>a</b><i>b</i>" stays two words
    # only where the page shows them apart: inline tags inside a word (<b>w</b>orld) add nothing.
    if tag in _BLOCK_TAGS:
        out.append("\n")
    elif tag in ("a", "td", "th", "img", "input", "button", "label", "option"):
        out.append(" ")
    if element.tail:
        out.append(element.tail)


def _squash(text: str) -> str:
    lines = (_SPACE_RE.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES_RE.sub("\n", "\n".join(line for line in lines if line)).strip()
