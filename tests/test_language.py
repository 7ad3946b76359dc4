from __future__ import annotations

import pytest

from oniondex.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("아이스 1g 고순도 텔레그램으로 문의 주세요. 안전하게 배송합니다.", "ko"),
        ("Welcome to our market. All vendors are verified and every order goes through escrow.", "en"),
        ("Добро пожаловать в наш магазин. Доставка по всей России, оплата в биткоинах.", "ru"),
        ("Willkommen in unserem Shop. Wir versenden diskret innerhalb der EU, Zahlung per Monero.", "de"),
        ("Bienvenue dans notre boutique, livraison discrète partout en Europe.", "fr"),
        ("ようこそ、私たちのお店へ。安全に配送します。", "ja"),
        # Addresses, prices and URLs do not decide the language; the words do.
        ("BTC: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 가격 15만원 배송 가능합니다 문의는 텔레그램으로", "ko"),
    ],
)
def test_languages(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 0.0125", "$ 90.00 ₩ 120,000", "ok"])
def test_undetermined_when_there_are_no_words(text: str) -> None:
    assert detect_language(text) == "und"


def test_only_a_sample_of_huge_text_is_read() -> None:
    assert detect_language("Guten Tag, wir verkaufen hier nur die beste Ware. " * 200_000) == "de"


def test_feature_counts_are_py3langids_own() -> None:
    """The vectorised walk gives py3langid's counts in py3langid's order, so its scores are the same."""
    import random

    from py3langid.langid import visit_counts

    from oniondex.language import _identifier

    identifier = _identifier()
    rng = random.Random(13)
    words = "market escrow vendor 배송 доставка Lieferung café ようこそ 🚀 0.5g".split()
    texts = [b"", b"a", b"\xff\xfe", bytes(range(256))]
    texts += [rng.randbytes(rng.randrange(1, 40)) for _ in range(300)]
    texts += [" ".join(rng.choices(words, k=rng.randrange(1, 60))).encode() for _ in range(300)]
    for text in texts:
        expected = visit_counts(identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, text) or {}
        assert list(identifier._visits(text).items()) == list(expected.items())


def test_letter_count_is_that_of_letter_matches() -> None:
    """What is left after removing non-letters is as many characters as `[^\\W\\d_]` matches (letters,
    and numerals that are not digits), in any script."""
    import random
    import re

    from oniondex.language import _NOT_LETTERS_RE

    rng = random.Random(3)
    alphabet = "aZé배ДÿǅⅧ²½_0٣ \t\n.,@-🚀ـ\u0301"
    for _ in range(500):
        text = "".join(rng.choices(alphabet, k=rng.randrange(0, 40)))
        assert len(_NOT_LETTERS_RE.sub("", text)) == len(re.findall(r"[^\W\d_]", text))
