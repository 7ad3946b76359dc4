"""Small independent checks used by the tests (not the world's own code, so they can catch it out)."""

from __future__ import annotations

import base64
import hashlib
import html
import re

from sample_darknet.model import PageSpec

_TAG = re.compile(r"<[^>]+>")
_INVISIBLE_CHARS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None)
_ARMOR = re.compile(r"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n(.*?)\n=....\n-----END", re.S)


def decoded(page: PageSpec) -> str:
    return page.body.decode(page.encoding or "utf-8")


def flattened(page: PageSpec) -> str:
    """The body with tags and zero-width characters removed and obfuscated emails undone."""
    text = html.unescape(_TAG.sub("", decoded(page))).translate(_INVISIBLE_CHARS)
    return text.replace(" [at] ", "@").replace(" [dot] ", ".")


def anywhere(page: PageSpec) -> str:
    """Visible-ish text plus the raw markup (attributes, comments), zero-width characters removed."""
    return flattened(page) + "\n" + html.unescape(decoded(page)).translate(_INVISIBLE_CHARS)


def fingerprints(text: str) -> set[str]:
    """The v4 fingerprints of the armored public keys in text: SHA-1 over 0x99, length, key packet body."""
    found = set()
    for block in _ARMOR.findall(text):
        data = base64.b64decode("".join(block.split()))
        assert data[0] == 0xC6, "expected a new-format public key packet first"
        length = data[1]
        body = data[2 : 2 + length]
        found.add(hashlib.sha1(b"\x99" + length.to_bytes(2, "big") + body).hexdigest().upper())
    return found
