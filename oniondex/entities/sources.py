"""Where entities hide on a page: the channels extraction searches, each cleaned of obfuscation.

A channel is one string: the visible text, or every href value (percent-decoded), every other attribute
value, or every HTML comment, joined with newlines in document order. `Entity.offset` is a character
offset into the cleaned channel string. Script, style and template elements are never searched, nor the
payloads of base64 `data:` URIs (inline images).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from lxml import etree

if TYPE_CHECKING:
    from oniondex.page import Page

WHERE = ("text", "href", "attribute", "comment")
# Work cap: each channel is cut at this many characters (a 30 MB page is searched in its first 4 M).
MAX_CHANNEL_CHARS = 4_000_000
LIBXML_TEXT_LIMIT = 10_000_000
_SKIPPED = frozenset({"script", "style", "template"})
_LINK_ATTRIBUTES = frozenset({"href", "src", "action"})
_NOISE_ATTRIBUTES = frozenset({"class", "style", "id", "lang", "dir", "type", "rel", "target", "width", "height"})
# Zero-width and invisible formatting characters used to break addresses apart for scrapers.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f"))
# Defanged links and obfuscated e-mails: hxxp://, [.] (.) {.} [dot] (dot), [at] (at) {at} [@].
_HXXP_RE = re.compile(r"\bhxxp(s?)(?=://|\[://\])", re.IGNORECASE)
_DOT_RE = re.compile(r"[ \t]{0,2}[\[({](?:\.|dot)[\])}][ \t]{0,2}", re.IGNORECASE)
_AT_RE = re.compile(r"[ \t]{0,2}[\[({](?:@|at)[\])}][ \t]{0,2}", re.IGNORECASE)
_SCHEME_SEP_RE = re.compile(r"\[://\]")
_INVISIBLE_RE = re.compile("[" + "".join(map(chr, _INVISIBLE)) + "]")
_DOT_CORE_RE = re.compile(r"[\[({](?:\.|dot)[\])}]", re.IGNORECASE)
_AT_CORE_RE = re.compile(r"[\[({](?:@|at)[\])}]", re.IGNORECASE)
_BASE64_PAYLOAD_RE = re.compile(r";base64,[A-Za-z0-9+/=]*")
_RAW_BLOCK_RE = re.compile(r"<(script|style|template)\b", re.IGNORECASE)
_TAG_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9]{0,15})?[^<>]{0,4000}>")
_INLINE_TAGS = frozenset("span b i em strong code font small sup sub u s mark wbr abbr kbd".split())


@dataclass(frozen=True)
class Channel:
    where: str
    text: str


def clean(text: str) -> str:
    """Remove zero-width characters and undo common defanging so the finders see plain addresses."""
    text = text[:MAX_CHANNEL_CHARS]
    if _INVISIBLE_RE.search(text):
        text = text.translate(_INVISIBLE)
    # Each rewrite runs only where its bracketed core occurs: its optional spaces make it slow to scan.
    if _DOT_CORE_RE.search(text):
        text = _DOT_RE.sub(".", text)
    if _AT_CORE_RE.search(text):
        text = _AT_RE.sub("@", text)
    if "[://]" in text:
        text = _SCHEME_SEP_RE.sub("://", text)
    if "xx" in text or "XX" in text:
        text = _HXXP_RE.sub(r"http\1", text)
    return text


def channels(page: Page) -> list[Channel]:
    """The cleaned channels of a page; a non-HTML page has only its text.

    HTML that lxml cannot build a tree for, or may have truncated (libxml2 drops text nodes over 10 MB),
    has its text channel taken from the markup with tags stripped, so such a page still yields what it shows.
    """
    huge = len(page.unicode) >= LIBXML_TEXT_LIMIT
    text = _stripped_markup(page.unicode) if page.is_html and (huge or page.tree is None) else page.text
    found = [Channel("text", clean(text))]
    if page.tree is None:
        return found
    for where, transform in _MARKUP_CHANNELS.items():
        # Each transform ends every value with a newline: drop the last one, as a join would.
        values = str(transform(page.tree))[:-1]
        if where != "comment":
            values = _BASE64_PAYLOAD_RE.sub(";base64,", values) if ";base64," in values else values
        if where == "href":
            values = _unquote(values)
        if values:
            found.append(Channel(where, clean(values)))
    return found


def _transform(templates: str) -> etree.XSLT:
    """A libxslt pass printing what `templates` select, one value per line, in document order, outside
    script/style/template: in C, where a Python walk or an XPath with ancestor tests took most of the time
    of a big page."""
    skipped = "|".join(sorted(_SKIPPED))
    return etree.XSLT(
        etree.XML(
            f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="{skipped}|text()"/>
  {templates}
</xsl:stylesheet>"""
        )
    )


def _attribute_values(select: str) -> etree.XSLT:
    return _transform(
        f"""<xsl:template match="*">
    <xsl:for-each select="{select}"><xsl:value-of select="."/><xsl:text>&#10;</xsl:text></xsl:for-each>
    <xsl:apply-templates/>
  </xsl:template>"""
    )


_OTHER_ATTRIBUTES = " or ".join(f"name()='{name}'" for name in sorted(_LINK_ATTRIBUTES | _NOISE_ATTRIBUTES))
_MARKUP_CHANNELS = {
    "href": _attribute_values("|".join(f"@{name}" for name in sorted(_LINK_ATTRIBUTES))),
    "attribute": _attribute_values(f"@*[not({_OTHER_ATTRIBUTES})][normalize-space(.)]"),
    # Comments inside the root element (not the ones before <html>).
    "comment": _transform(
        """<xsl:template match="/"><xsl:apply-templates select="*"/></xsl:template>
  <xsl:template match="comment()"><xsl:value-of select="."/><xsl:text>&#10;</xsl:text></xsl:template>"""
    ),
}


def _stripped_markup(markup: str) -> str:
    """Text of markup without a tree: script/style/template blocks dropped, inline tags joined."""
    markup, kept, pos = markup[:MAX_CHANNEL_CHARS], [], 0
    while (opening := _RAW_BLOCK_RE.search(markup, pos)) is not None:
        kept.append(markup[pos : opening.start()])
        closing = re.compile(rf"</{opening.group(1)}\s{{0,10}}>", re.IGNORECASE).search(markup, opening.end())
        pos = closing.end() if closing is not None else len(markup)
    kept.append(markup[pos:])
    return html.unescape(_TAG_RE.sub(_tag_break, "".join(kept)))


def _tag_break(match: re.Match[str]) -> str:
    return "" if (match.group(1) or "").lower() in _INLINE_TAGS else "\n"


def _unquote(value: str) -> str:
    return unquote(value) if "%" in value else value
