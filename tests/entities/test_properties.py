"""Property tests: extraction never crashes on arbitrary bytes and stays linear on hostile inputs."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oniondex.entities import ENTITY_TYPES, extract_entities
from oniondex.language import detect_language
from oniondex.page import Page
from oniondex.tagging import tag_text

# Characters that make finders work hardest: address alphabets, separators, obfuscation brackets, tags.
HOSTILE_ALPHABET = "13bcq0xpltmT48aA9zZ@.:/[]()-_+ \n\u200b<>=\"'!"
FRAGMENTS = [
    "bc1q", "0x", "@", "[at]", "[.]onion", "t.me/", "Telegram: ", "010-", "+82", "<span>", "</span>",
    "<!--", "-->", "bitcoincash:", "-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----END PGP PUBLIC KEY BLOCK-----",
    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "hxxp://", "mQINBF", "=abcd", "<script>", "&#8203;",
]  # fmt: skip
hostile_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(HOSTILE_ALPHABET, max_size=40)), max_size=60)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(page: Page) -> None:
    for entity in extract_entities(page, "2025-01-01T00:00:00Z"):
        assert entity.type in ENTITY_TYPES
        assert entity.value
        assert entity.url == page.url


@SETTINGS
@given(st.binary(max_size=4000), st.sampled_from(["text/html", "text/plain", "application/octet-stream", ""]))
def test_arbitrary_bytes_never_crash(body: bytes, content_type: str) -> None:
    check(Page("http://example.onion/", body, content_type))


@SETTINGS
@given(hostile_text)
def test_hostile_fragments_never_crash(parts: list[str]) -> None:
    text = "".join(parts)
    check(Page("http://example.onion/", text.encode("utf-8", "surrogatepass"), "text/html"))
    assert isinstance(tag_text(text), list)
    assert isinstance(detect_language(text), str)


@SETTINGS
@given(st.text(max_size=3000))
def test_arbitrary_text_never_crashes(text: str) -> None:
    check(Page("http://example.onion/", text.encode("utf-8", "replace"), "text/html"))
    assert isinstance(tag_text(text), list)
    assert len(detect_language(text)) in (2, 3)


# Inputs built to provoke backtracking: each is a function of a size n.
ADVERSARIAL = {
    "base58_run": lambda n: "1" * n,
    "base32_run": lambda n: "a" * n,
    "bech32_run": lambda n: "bc1" + "q" * n,
    "hex_run": lambda n: "0x" + "a" * n,
    "at_signs": lambda n: "a@" * (n // 2),
    "dotted_host": lambda n: "x@" + "a." * (n // 2),
    "telegram_spaces": lambda n: "Telegram:" + " " * n + "@handle",
    "phone_digits": lambda n: "0" * n,
    "phone_separators": lambda n: "0-" * (n // 2),
    "pgp_begins": lambda n: "-----BEGIN PGP PUBLIC KEY BLOCK-----\n" * (n // 37),
    "defang_brackets": lambda n: "[.]" * (n // 3),
    "address_words": lambda n: "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3 " * (n // 35),
    "split_tags": lambda n: "<span>a</span>" * (n // 14),
    "huge_single_line": lambda n: "word " * (n // 5),
}  # fmt: skip


def _seconds(text: str) -> float:
    page_html = Page("http://example.onion/", text.encode(), "text/html")
    page_plain = Page("http://example.onion/", text.encode(), "text/plain")
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        extract_entities(page_html)
        extract_entities(page_plain)
        tag_text(text)
        detect_language(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_work_grows_linearly(name: str) -> None:
    """Four times the input may cost at most ~4x the time; the bound is generous (12x) against noise."""
    make = ADVERSARIAL[name]
    small, large = _seconds(make(20_000)), _seconds(make(80_000))
    assert large <= 12 * max(small, 0.002), f"{name}: {small:.4f}s -> {large:.4f}s"


def test_huge_single_line_page_is_still_searched() -> None:
    """A 12 MB single text node defeats libxml2's tree; the stripped markup is searched instead."""
    address = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    body = f"<html><body><p>pay {address} " + "word " * 2_400_000 + "</p></body></html>"
    entities = extract_entities(Page("http://example.onion/", body.encode(), "text/html"))
    assert [(e.type, e.value) for e in entities] == [("BTC", address)]
