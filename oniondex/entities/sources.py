"""Where entities hide on a page: the channels extraction searches, each cleaned of obfuscation.

A channel is one string: the visible text, or every href value (percent-decoded), every other attribute
value, or every HTML comment, joined with newlines in document order. `Entity.offset` is a character
offset into the cleaned channel string. Script, style and template elements are never searched, nor the
payloads of base64 `data:` URIs (inline images).
"""

from __future__ import annotations

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

    The text channel is `Page.text`, which holds what a page shows even where libxml2 cut the tree.
    """
    found = [Channel("text", clean(page.text))]
    if page.tree is None:
        return found
    parts: dict[str, list[str]] = {"href": [], "attribute": [], "comment": []}
    # Only <template> holds elements among the skipped tags (script and style hold raw text): the
    # ancestor test, a walk up from every node, is paid only by pages that have one.
    markup_nodes = _MARKUP_IN_TEMPLATES if _TEMPLATE_RE.search(page.unicode) else _MARKUP
    for node in markup_nodes(page.tree):
        if isinstance(node, etree._Comment):
            parts["comment"].append(node.text or "")
        elif node.attrname in _LINK_ATTRIBUTES:
            parts["href"].append(node)
        elif node.attrname not in _NOISE_ATTRIBUTES and node.strip():
            parts["attribute"].append(node)
    for where, values in parts.items():
        if not values:
            continue
        text = "\n".join(values)
        if where != "comment" and ";base64," in text:
            text = _BASE64_PAYLOAD_RE.sub(";base64,", text)
        found.append(Channel(where, clean(_unquote(text) if where == "href" else text)))
    return found


# Attribute values and comments in document order, outside script, style and template.
_MARKUP = etree.XPath("descendant-or-self::*[not(self::script or self::style or self::template)]/@*"
                      " | descendant::comment()")  # fmt: skip
_MARKUP_IN_TEMPLATES = etree.XPath(
    "descendant-or-self::*[not(self::script or self::style or self::template or ancestor::template)]/@*"
    " | descendant::comment()[not(ancestor::template)]"
)
_TEMPLATE_RE = re.compile(r"<template\b", re.IGNORECASE)


def _unquote(value: str) -> str:
    return unquote(value) if "%" in value else value
