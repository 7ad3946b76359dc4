"""Hypothesis strategies of hostile input: what a crawled page or a visitor's query box may hold.

Pages: deep nesting, huge text nodes, broken and lying encodings, comment/script/CDATA tricks, NULs and
bidi controls, with real-looking entities planted among them. Queries: operator soup, unbalanced quotes,
impossible dates, control characters. Sizes are bounded by FUZZ_MAX_TEXT (bytes of one text node) so the
short pass in `make test` stays a few seconds; `make fuzz` raises it.
"""

from __future__ import annotations

import os

from hypothesis import strategies as st

MAX_TEXT = int(os.environ.get("FUZZ_MAX_TEXT", "200000"))
MAX_DEPTH = int(os.environ.get("FUZZ_MAX_DEPTH", "1200"))

# Values the extractors look for (valid checksums), so the fuzzer also reaches the validators.
PLANTS = [
    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "vendor [at] example [dot] com",
    "@some_vendor_bot",
    "oniondxexampleoniondxexampleoniondxexampleoniondxexampld.onion",
    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBF\n-----END PGP PUBLIC KEY BLOCK-----",
    "bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2?amount=0.1",
    "아이스 팝니다 텔레그램 ₩300,000",
]
TAGS = ["div", "p", "span", "a", "table", "tr", "td", "ul", "li", "b", "i", "font", "section", "svg", "math", "form"]
TRICKS = [
    "<!--",
    "-->",
    "--!>",
    "<!-->",
    "<![CDATA[",
    "]]>",
    "<script>",
    "</script>",
    "<script><!--",
    "</scr",
    "ipt>",
    "<style>",
    "</style>",
    "<textarea>",
    "<noscript>",
    "<template>",
    "<plaintext>",
    "<xmp>",
    "<title>",
    "</title>",
    "<?xml version='1.0'?>",
    "<!DOCTYPE html [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>",
    "&x;",
    "&#0;",
    "&#x110000;",
    "&amp;",
    "&#8238;",
    "\x00",
    "\u202e",
    "\u2028",
    "\u200b",
    "\ufeff",
    "\r",
    "<meta charset='utf-7'>",
    "<meta http-equiv='content-type' content='text/html; charset=euc-kr'>",
    "<base href='http://evil/'>",
    "<a href='javascript:alert(1)'>",
    "<img src=x onerror=alert(1)>",
    "<",
    ">",
    "'",
    '"',
    "=",
    "</",
    "<a",
    "<!",
]
ENCODINGS = ["utf-8", "utf-16", "utf-16-be", "euc-kr", "cp949", "cp1251", "koi8-r", "latin-1", "shift_jis", "gb18030"]
CONTENT_TYPES = [
    "text/html",
    "text/html; charset=utf-8",
    "text/html; charset=euc-kr",
    "text/html; charset=utf-16",
    "text/html; charset=bogus-charset",
    "text/plain",
    "application/xhtml+xml",
    "",
    "text/html; charset=",
]


def _text() -> st.SearchStrategy[str]:
    return st.one_of(st.text(max_size=80), st.sampled_from(PLANTS), st.sampled_from(TRICKS))


@st.composite
def nested(draw: st.DrawFn) -> str:
    """A tree opened `depth` deep (closed or not), with text and a planted value at the bottom."""
    depth = draw(st.integers(0, MAX_DEPTH))
    tag = draw(st.sampled_from(TAGS))
    inner = draw(_text()) + " " + draw(st.sampled_from(PLANTS))
    closed = draw(st.booleans())
    return f"<{tag}>" * depth + inner + (f"</{tag}>" * depth if closed else "")


@st.composite
def huge_node(draw: st.DrawFn) -> str:
    chunk = draw(st.one_of(st.sampled_from(["a", "아", " ", "x" * 63 + " "]), st.text(min_size=1, max_size=16)))
    size = draw(st.integers(1, MAX_TEXT))
    repeated = (chunk * (size // max(len(chunk), 1) + 1))[:size]
    return "<p>" + repeated + " " + draw(st.sampled_from(PLANTS)) + "</p>"


@st.composite
def trick_soup(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(_text(), st.sampled_from(TRICKS), st.sampled_from([f"<{t}>" for t in TAGS])),
                          max_size=60))  # fmt: skip
    return "".join(parts)


@st.composite
def hostile_page(draw: st.DrawFn) -> tuple[bytes, str]:
    """(body bytes, Content-Type) of a hostile page."""
    markup = draw(st.one_of(nested(), huge_node(), trick_soup()))
    head = draw(st.sampled_from(["", "<html><head><title>t</title></head><body>", "<!doctype html><html><body>"]))
    text = head + markup
    how = draw(st.sampled_from(["encode", "encode", "raw-bytes", "splice"]))
    if how == "raw-bytes":
        body = draw(st.binary(max_size=2000))
    else:
        body = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
        if how == "splice":  # broken sequences and BOMs inside otherwise valid text
            cut = draw(st.integers(0, len(body)))
            junk = draw(st.sampled_from([b"\xff\xfe", b"\xef\xbb\xbf", b"\xc3", b"\xed\xa0\x80", b"\x80\x80", b"\x00"]))
            body = body[:cut] + junk + body[cut:]
    return body, draw(st.sampled_from(CONTENT_TYPES))


OPERATORS = [
    "site",
    "lang",
    "tag",
    "type",
    "btc",
    "xmr",
    "pgp",
    "entity",
    "currency",
    "after",
    "before",
    "since",
    "until",
    "vendor",
    "email",
    "onion",
    "telegram",
    "language",
    "entity_type",
    "value",
    "nope",
    "AND",
    "",
]
DATES = [
    "2026-01-01",
    "2026-13-45",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "2026-01-01T25:61:00Z",
    "2026-01-01T00:00:00+99:99",
    "2026-1-1",
    "yesterday",
    "2026-01-01T00:00:00Z",
    "",
]


@st.composite
def hostile_query(draw: st.DrawFn) -> str:
    def piece() -> st.SearchStrategy[str]:
        op = st.builds(
            lambda minus, name, value, quote: f"{minus}{name}:{quote}{value}{quote}",
            st.sampled_from(["", "-"]),
            st.sampled_from(OPERATORS),
            st.one_of(st.sampled_from(DATES), st.text(max_size=20), st.sampled_from(PLANTS)),
            st.sampled_from(["", '"']),
        )
        words = st.sampled_from(["AND", "OR", "NOT", '"', "(", ")", "-", "*", "?", "~", "^2", "\\", "escrow", "아이스"])
        return st.one_of(op, words, st.text(max_size=30))

    return " ".join(draw(st.lists(piece(), max_size=12)))
