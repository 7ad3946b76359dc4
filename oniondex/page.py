"""A fetched page as extraction sees it: bytes in, decoded text, title and links out.

Pure: no Scrapy, no network. Every extractor takes a `Page`, so it can be tested on saved bytes.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from w3lib.encoding import html_to_unicode

# Work cap: a body is read up to this many characters (the crawler keeps at most 5 MB of a response;
# `oniondex extract` and reindex can be handed anything). `Page.truncated` says when it applied.
MAX_PARSE_CHARS = 16_000_000
# lxml.html's classes, chosen in C: its default lookup is a Python call per element proxy made (every
# node an XPath returns), and only adds form-field helpers that extraction does not use.
_HTML_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)
# What w3lib calls the single-byte Western charsets that pages declare while serving UTF-8.
_LATIN_DECLARED = frozenset({"cp1252", "latin_1", "iso8859-1", "iso8859-15"})
# Text that is not part of the page's body text: scripts, styles, templates, and <head> (its <title> is
# kept as the title).
_INVISIBLE = ("script", "style", "noscript", "template", "head")
_RAW_BLOCK_RE = re.compile(r"<(?:(script|style|template|noscript)\b|!--)", re.IGNORECASE)
# A tag: "<" then a name, "/", "!" or "?" (a lone "<" in text is text), up to the next ">".
_TAG_RE = re.compile(r"<(?:/?([A-Za-z][A-Za-z0-9]{0,15})|[/!?])[^<>]{0,4000}>")
_INLINE_TAGS = frozenset("span b i em strong code font small sup sub u s mark wbr abbr kbd".split())
# Every line boundary `str.splitlines` knows but "\n".
_LINE_BREAK_RE = re.compile(r"[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_LINE_BREAKS = tuple("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_LINE_START_RE = re.compile(r"\n\s+")  # `\s` is `str.isspace`: blank lines and indentation
_SPACE_RUN_RE = re.compile("  +")
_OTHER_SPACE_RE = re.compile(r"[^\S\n ]")
# The characters of that class (white space ends at U+3000): a substring search per character is far
# faster than a character-class scan.
_OTHER_SPACES = tuple(c for c in map(chr, range(0x3001)) if _OTHER_SPACE_RE.match(c))
# Those a squash has not replaced by the time it looks for them (line breaks, tabs and NBSPs are gone).
_SPACES_LEFT = tuple(c for c in _OTHER_SPACES if c not in _LINE_BREAKS and c not in "\t\u00a0")
_LINE_END_RE = re.compile(r"[^\S\n]+\n")
# Elements after which a reader sees a line break.
_BLOCK_TAGS = (
    "p div br li tr td th h1 h2 h3 h4 h5 h6 dt dd pre blockquote section article header footer "
    "table ul ol dl form title hr".split()
)
# Inline elements after which a reader sees a space, so "<a>x</a><a>y</a>" stays two words; other inline
# tags inside a word (<b>w</b>orld) add nothing.
_SPACED_TAGS = "a img input button label option".split()
# Page chrome: navigation a market repeats on every page (it names every category it has), left out of
# the content text that tags are read from.
_CHROME_TAGS = "nav header footer aside select".split()
# The visible text as one libxslt pass in C (a Python walk over every text node was most of the parse
# cost), page chrome between two private-use marks, so the content text comes from the same pass. The marks
# are taken out of the markup before parsing (icon-font code points at most; no text uses them).
_CHROME_OPEN, _CHROME_CLOSE = "\ue000", "\ue001"
_MARKER_RE = re.compile("[\ue000\ue001]")
_MARKER_REF_RE = re.compile(r"&#(?:[xX]0*[eE]00[01]|0*5734[45])(?![0-9a-fA-F]);?")
_BLOCK_NOT_CHROME = [tag for tag in _BLOCK_TAGS if tag not in _CHROME_TAGS]


def _then(match: str, after: str, before: str = "") -> str:
    """A template that writes `before`, the element's text, then `after`."""
    opening = f"<xsl:text>{before}</xsl:text>" if before else ""
    return f'<xsl:template match="{match}">{opening}<xsl:apply-templates/><xsl:text>{after}</xsl:text></xsl:template>'


_VISIBLE_TEXT = etree.XSLT(
    etree.XML(
        f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="{"|".join(_INVISIBLE)}|comment()|processing-instruction()"/>
  {_then("|".join(_BLOCK_NOT_CHROME), "&#10;")}
  {_then("|".join(_SPACED_TAGS), " ")}
  {_then("|".join(t for t in _CHROME_TAGS if t in _BLOCK_TAGS), f"{_CHROME_CLOSE}&#10;", before=_CHROME_OPEN)}
  {_then("|".join(t for t in _CHROME_TAGS if t not in _BLOCK_TAGS), _CHROME_CLOSE, before=_CHROME_OPEN)}
</xsl:stylesheet>"""
    )
)
# Markup channels: attributes outside script, style and template elements; link attributes apart; attributes
# that never hold an identifier left out.
_SKIPPED = frozenset({"script", "style", "template"})
_LINK_ATTRIBUTES = frozenset({"href", "src", "action"})
_NOISE_ATTRIBUTES = frozenset({"class", "style", "id", "lang", "dir", "type", "rel", "target", "width", "height"})
_LINK_ELEMENTS = frozenset({"a", "area"})


@dataclass(frozen=True)
class TreeReading:
    """What one reading of a page's tree found: the libxslt text pass and one walk over the elements."""

    text: str  # visible text, not yet squashed
    content: str  # the same without page chrome
    hrefs: tuple[str, ...]  # <a>/<area> href values as written, document order
    link_values: str  # href/src/action values, one a line
    attribute_values: str  # other attribute values, one a line
    comments: str  # comments, one a line
    # (element name, class attribute) of every element with a class: what tells a profile's detect
    # selectors that they cannot match.
    class_attributes: frozenset[tuple[str, str]] = frozenset()

    @cached_property
    def classes(self) -> frozenset[tuple[str, str]]:
        """Every (element name, class) pair in the tree (a class attribute split at white space)."""
        return frozenset((tag, name) for tag, value in self.class_attributes for name in value.split())

    @cached_property
    def class_names(self) -> frozenset[str]:
        return frozenset(name for _, name in self.classes)


def _read_tree(tree: lxml.html.HtmlElement) -> TreeReading:
    text = str(_VISIBLE_TEXT(tree))
    content = text
    if _CHROME_OPEN in text:  # one scan of the text: every chrome element opens before it closes
        content = _without_chrome(text)
        text = text.replace(_CHROME_OPEN, "").replace(_CHROME_CLOSE, "")
    hrefs: list[str] = []
    classes: set[tuple[str, str]] = set()
    parts: tuple[list[str], list[str], list[str]] = ([], [], [])
    links, attributes, comments = parts
    # Inside <template> nothing is searched (links still count): a template's nodes are met in document
    # order after it, so they are known before they are met (a markup regex for "<template" cost more).
    inert: set[etree._Element] = set()
    # One walk over the elements in Python: an XPath or XSLT pass per channel cost more than the text itself.
    for node in tree.iter():
        tag = node.tag
        if not isinstance(tag, str):
            if tag is etree.Comment and not (inert and node in inert):
                comments.append(node.text or "")
            continue
        if tag == "template" and node not in inert:
            inert.update(node.iter())
        items = node.items()  # one call for all of an element's attributes (most have none)
        if not items:
            continue
        searched = tag not in _SKIPPED and not (inert and node in inert)
        href = tag in _LINK_ELEMENTS
        for name, value in items:
            if name == "class":  # most attributes: a noise attribute, never a link
                classes.add((tag, value))
                continue
            if href and name == "href":
                hrefs.append(value)
                href = False
            if not searched:
                continue
            if name in _LINK_ATTRIBUTES:
                links.append(value)
            elif name not in _NOISE_ATTRIBUTES and value.strip():
                attributes.append(value)
    return TreeReading(
        text,
        content,
        tuple(hrefs),
        "\n".join(links),
        "\n".join(attributes),
        "\n".join(comments),
        frozenset(classes),
    )


def _without_chrome(marked: str) -> str:
    """The marked text without what lies between chrome marks (nested marks count as one region)."""
    kept, depth, position = [], 0, 0
    # The next mark of each kind, found by str.find (a character-class scan cost more than the rest).
    opening, closing = marked.find(_CHROME_OPEN), marked.find(_CHROME_CLOSE)
    while opening != -1 or closing != -1:
        if closing == -1 or (opening != -1 and opening < closing):
            if depth == 0:
                kept.append(marked[position:opening])
            depth += 1
            opening = marked.find(_CHROME_OPEN, opening + 1)
        else:
            if depth:
                depth -= 1
                if depth == 0:
                    position = closing + 1
            closing = marked.find(_CHROME_CLOSE, closing + 1)
    if depth == 0:
        kept.append(marked[position:])
    return "".join(kept)


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
        if encoding in _LATIN_DECLARED and not self.body.isascii():
            # Many sites declare ISO-8859-1/windows-1252 (often a template's default) and serve UTF-8.
            # Bytes that decode as UTF-8 and hold multi-byte sequences are almost never meant as
            # Latin-1: read that way they are mojibake ("cafÃ©"). Real Latin-1 text fails UTF-8.
            try:
                return "utf-8", self.body.decode("utf-8")
            except UnicodeDecodeError:
                pass
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

    @property
    def tree(self) -> lxml.html.HtmlElement | None:
        """The parsed HTML, or None for a non-HTML or unparseable body. It may lack what libxml2 cut
        (see `tree_cut`); `text` does not."""
        return self._parsed[0]

    @property
    def tree_cut(self) -> bool:
        """True when the tree lacks part of the page: libxml2 stops at nesting depth 256 and drops a text
        node over 10 MB, so markup alone could hide content from everything that reads the tree."""
        return self._parsed[1]

    @property
    def truncated(self) -> bool:
        """True when the body is longer than MAX_PARSE_CHARS: only its first MAX_PARSE_CHARS are read."""
        return len(self.unicode) > MAX_PARSE_CHARS

    @cached_property
    def _parsed(self) -> tuple[lxml.html.HtmlElement | None, bool]:
        markup = self.unicode[:MAX_PARSE_CHARS]
        if not self.is_html or not markup or markup.isspace():  # isspace stops at the first letter: no copy
            return None, False
        if _CHROME_OPEN in markup or _CHROME_CLOSE in markup:
            markup = _MARKER_RE.sub("", markup)
        # The regex scans for its literal "&#" as fast as a substring test would.
        if _MARKER_REF_RE.search(markup):
            markup = _MARKER_REF_RE.sub("", markup)
        parser = lxml.html.HTMLParser(remove_comments=False, no_network=True, recover=True)
        parser.set_element_class_lookup(_HTML_CLASSES)
        try:
            tree = lxml.html.document_fromstring(markup, parser=parser)
        except (etree.ParserError, ValueError):
            return None, False
        # Resource limits are the only fatal errors in recovery mode; the tree is cut where one struck.
        return tree, bool(parser.error_log.filter_from_fatals())

    @cached_property
    def reading(self) -> TreeReading | None:
        """The one pass over the tree (None without one): what `text`, `links`, the content text tags
        read and the entity channels are made of."""
        if self.tree is None:
            return None
        return _read_tree(self.tree)

    @cached_property
    def content_text(self) -> str:
        """The visible text without page chrome (nav, header, footer, aside, select): what tags are read
        from. A cut tree (see `tree_cut`) falls back to the whole page text."""
        if self.reading is None or self.tree_cut or self.reading.content is self.reading.text:
            return self.text  # a page without chrome: its text, not squashed a second time
        return _squash(self.reading.content)

    @cached_property
    def title(self) -> str:
        if self.tree is None:
            return ""
        # The first <title> in the document: lxml's tag iterator looks ahead for a second one, a walk of the
        # whole tree, so <head> (the first element, when it is the first) is searched on its own first.
        first = next(self.tree.iterchildren(etree.Element), None)
        found = next(first.iter("title"), None) if first is not None and first.tag == "head" else None
        if found is None:
            found = self.tree.find(".//title")
        return _squash(found.text_content()) if found is not None else ""

    @cached_property
    def text(self) -> str:
        """What a reader sees: visible text, block elements on their own lines."""
        if not self.is_html:
            return _squash(self.unicode[:MAX_PARSE_CHARS])
        if self.tree is None or self.tree_cut:
            return _squash(markup_text(self.unicode[:MAX_PARSE_CHARS]))
        return _squash(self.reading.text) if self.reading is not None else ""

    @cached_property
    def links(self) -> list[str]:
        """Absolute http(s) link targets in document order, without fragments, de-duplicated."""
        if self.reading is None:
            return []
        resolve = _Resolver(self.url)
        seen: dict[str, None] = {}
        # Each distinct href once (a menu repeats them): the first occurrences keep the links' order.
        for written in dict.fromkeys(self.reading.hrefs):
            href = written.strip()
            if not href or href.startswith(("#", "javascript:", "mailto:", "data:")):
                continue
            absolute = resolve(href).split("#", 1)[0]
            if absolute.startswith(("http://", "https://")):
                seen.setdefault(absolute, None)
        return list(seen)


class _Resolver:
    """`urljoin(base, href)` with the common cases done by concatenation: an http(s) URL, a path from the
    root or a relative path with nothing urljoin would rewrite (dot segments, doubled slashes, a scheme,
    control characters, an empty query). Everything else goes to urljoin itself."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.root = urljoin(base, "/x")[:-1]  # scheme://host/
        self.directory = urljoin(base, "x")[:-1]  # the base up to the last slash of its path

    def __call__(self, href: str) -> str:
        # Most hrefs are plain: one regex says so, where the checks below cost a dozen calls.
        if _PLAIN_URL_RE.match(href):
            return href
        if _PLAIN_PATH_RE.match(href):
            return self.root + href[1:] if href[0] == "/" else self.directory + href
        path = _PATH_PART_RE.match(href).group()  # type: ignore[union-attr]  # matches the empty string
        rest = href[len(path) :]
        if (
            href[0] <= " "
            or _rewritten(path)
            or (rest and ((rest[:1] == "?" and (rest == "?" or rest[1:2] == "#")) or _has_control(rest)))
        ):
            return urljoin(self.base, href)
        if href.startswith(("http://", "https://")):
            return href if _CLEAN_NETLOC_PATH_RE.match(path) else urljoin(self.base, href)
        if ":" in path:  # another scheme (or a port with no host): urljoin's call
            return urljoin(self.base, href)
        if path.startswith("/"):
            return self.root + href[1:]
        if not path:
            return urljoin(self.base, href)
        return self.directory + href


_PATH_PART_RE = re.compile(r"[^?#]*")
# What `_Resolver` returns by concatenation, as one pattern: path segments that are neither empty nor
# dot segments and hold no ";", white space or control character, then a query that is not empty
# (urljoin drops an empty one) or a fragment, neither with a tab or line break. A path holds no ":" (a
# scheme), an http(s) URL's host is its first segment.
_PLAIN_SEGMENT = r"(?!\.\.?(?:[/?#]|\Z))[^/?#;\x00-\x20\x7f]+"
_PLAIN_PATH_SEGMENT = r"(?!\.\.?(?:[/?#]|\Z))[^/?#;:\x00-\x20\x7f]+"
_PLAIN_REST = r"(?:\?[^#\t\r\n][^\t\r\n]*|#[^\t\r\n]*)?\Z"
_PLAIN_URL_RE = re.compile(rf"https?://{_PLAIN_SEGMENT}(?:/{_PLAIN_SEGMENT})*/?{_PLAIN_REST}")
_PLAIN_PATH_RE = re.compile(rf"(?=[^?#])/?(?:{_PLAIN_PATH_SEGMENT}(?:/{_PLAIN_PATH_SEGMENT})*/?)?{_PLAIN_REST}")


def _rewritten(path: str) -> bool:
    """Whether urljoin rewrites something in this path: dot segments (./ ../), empty segments (//, but
    the one of a leading "http://" or "https://"), or characters it strips or reads as path parameters
    (";", which it drops when empty). Substring tests: a regex search tried at every character was most
    of the cost of a page's links."""
    if "\t" in path or "\r" in path or "\n" in path or ";" in path:
        return True
    if "." in path and (
        path in (".", "..")
        or path.startswith(("./", "../"))
        or "/./" in path
        or "/../" in path
        or path.endswith(("/.", "/.."))
    ):
        return True
    doubled = path.find("//")
    if (doubled == 5 and path.startswith("http:")) or (doubled == 6 and path.startswith("https:")):
        doubled = path.find("//", doubled + 1)
    return doubled != -1


def _has_control(text: str) -> bool:
    return "\t" in text or "\r" in text or "\n" in text


# An http(s) URL urljoin gives back as written: a host, and a path of plain segments.
_CLEAN_NETLOC_PATH_RE = re.compile(r"https?://[^/]+(?:/[^/]*)*$")


def _squash(text: str) -> str:
    """Each line's runs of spaces collapsed and its ends stripped, blank lines dropped: regexes and
    substring searches over the whole text, where a Python loop per line was a third of the cost of a big
    page's text."""
    if any(c in text for c in _LINE_BREAKS):
        text = _LINE_BREAK_RE.sub("\n", text.replace("\r\n", "\n"))
    # Indentation and blank lines first: they hold most of a page's runs of spaces.
    text = _LINE_START_RE.sub("\n", text)
    # Then each run of spaces, tabs and NBSPs becomes one space.
    if "\t" in text:
        text = text.replace("\t", " ")
    if "\u00a0" in text:
        text = text.replace("\u00a0", " ")
    if "  " in text:
        text = _SPACE_RUN_RE.sub(" ", text)
    # Spaces before a line break are single ones now; other white space (em space, U+3000) is rare.
    other_space = any(c in text for c in _SPACES_LEFT)
    text = _LINE_END_RE.sub("\n", text) if other_space else text.replace(" \n", "\n")
    return text.strip()


def markup_text(markup: str) -> str:
    """The text of markup without a tree, for pages libxml2 cannot parse whole: comments and the contents
    of script/style/template/noscript dropped, a line break for every tag but inline ones, entities
    decoded. One pass of regexes, no recursion: linear in the markup at any nesting depth."""
    kept, pos = [], 0
    while (opening := _RAW_BLOCK_RE.search(markup, pos)) is not None:
        kept.append(markup[pos : opening.start()])
        name = opening.group(1)
        if name is None:  # a comment; an unclosed one runs to the end, as in a browser
            closing_at = markup.find("-->", opening.end())
            pos = len(markup) if closing_at == -1 else closing_at + 3
            continue
        closing = re.compile(rf"</{name}\s{{0,10}}>", re.IGNORECASE).search(markup, opening.end())
        pos = closing.end() if closing is not None else len(markup)
    kept.append(markup[pos:])
    return html.unescape(_TAG_RE.sub(_tag_break, "".join(kept)))


def _tag_break(match: re.Match[str]) -> str:
    return "" if (match.group(1) or "").lower() in _INLINE_TAGS else "\n"
