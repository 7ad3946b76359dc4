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

from oniondex.entities.scan import ascii_bytes

if TYPE_CHECKING:
    from oniondex.page import Page

WHERE = ("text", "href", "attribute", "comment")
# Work cap: each channel is cut at this many characters (a 30 MB page is searched in its first 4 M).
MAX_CHANNEL_CHARS = 4_000_000
# Zero-width and invisible formatting characters used to break addresses apart for scrapers.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f"))
# Defanged links and obfuscated e-mails: hxxp://, [.] (.) {.} [dot] (dot), [at] (at) {at} [@].
_HXXP_RE = re.compile(r"\bhxxp(s?)(?=://|\[://\])", re.IGNORECASE)
_DOT_RE = re.compile(r"[ \t]{0,2}[\[({](?:\.|dot)[\])}][ \t]{0,2}", re.IGNORECASE)
_AT_RE = re.compile(r"[ \t]{0,2}[\[({](?:@|at)[\])}][ \t]{0,2}", re.IGNORECASE)
_SCHEME_SEP_RE = re.compile(r"\[://\]")
_INVISIBLE_CHARS = tuple(map(chr, _INVISIBLE))
# The bracketed cores of _DOT_RE and _AT_RE, case spelled out: an IGNORECASE pattern is tried at every
# position, one that opens with a plain character class skips to candidates in C.
_DOT_CORE_RE = re.compile(r"[\[({](?:\.|[dD][oO][tT])[\])}]")
_AT_CORE_RE = re.compile(r"[\[({](?:@|[aA][tT])[\])}]")
# Both cores at once, usually a miss: brackets, "@" and case folded so that three substring searches of
# the ASCII bytes find them (a character-class scan of the text cost twice as much).
_CORE_FOLD = bytes.maketrans(b"[{]}@ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"(()).abcdefghijklmnopqrstuvwxyz")
_BASE64_PAYLOAD_RE = re.compile(r";base64,[A-Za-z0-9+/=]*")


@dataclass(frozen=True)
class Channel:
    where: str
    text: str


def clean(text: str) -> str:
    """Remove zero-width characters and undo common defanging so the finders see plain addresses."""
    text = text[:MAX_CHANNEL_CHARS]
    if not text.isascii() and any(c in text for c in _INVISIBLE_CHARS):
        text = text.translate(_INVISIBLE)
    # Each rewrite runs only where its bracketed core occurs: its optional spaces make it slow to scan.
    # Both cores open with a bracket, so a text without one (memchr) has neither.
    # (Undoing [.] cannot make an [at] that was not there.)
    square = text.find("[")
    if (square != -1 or "(" in text or "{" in text) and _has_bracketed_core(text):
        if _DOT_CORE_RE.search(text):
            text = _DOT_RE.sub(".", text)
        if _AT_CORE_RE.search(text):
            text = _AT_RE.sub("@", text)
    # No "[" before the rewrites, none after (they only take brackets out): most hrefs have none.
    if square != -1 and "[://]" in text:
        text = _SCHEME_SEP_RE.sub("://", text)
    # hxxp needs "xxp" in any case (only X and P fold to x and p) and "://" after it.
    if ("xx" in text or "XX" in text) and "://" in text and "xxp" in text.lower():
        text = _HXXP_RE.sub(r"http\1", text)
    return text


def _has_bracketed_core(text: str) -> bool:
    """Whether `_DOT_CORE_RE` or `_AT_CORE_RE` matches somewhere (only ASCII characters make either)."""
    folded = ascii_bytes(text).translate(_CORE_FOLD)
    return b"(.)" in folded or b"(dot)" in folded or b"(at)" in folded


def channels(page: Page) -> list[Channel]:
    """The cleaned channels of a page; a non-HTML page has only its text.

    The text channel is `Page.text`, which holds what a page shows even where libxml2 cut the tree.
    """
    found = [Channel("text", clean(page.text))]
    reading = page.reading
    if reading is None:
        return found
    for where, text in (
        ("href", reading.link_values),
        ("attribute", reading.attribute_values),
        ("comment", reading.comments),
    ):
        if not text:
            continue
        if where != "comment" and ";base64," in text:
            text = _BASE64_PAYLOAD_RE.sub(";base64,", text)
        found.append(Channel(where, clean(_unquote(text) if where == "href" else text)))
    return found


def _unquote(value: str) -> str:
    return unquote(value) if "%" in value else value
