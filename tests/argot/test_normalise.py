"""Normalisation undoes spelling disguises and keeps every character's place in the original."""

from __future__ import annotations

import random

import pytest

from oniondex.argot.normalise import _SPLIT_RE, _split_words, normalise

UNDONE = [
    ("ㅇㅏㅇㅣㅅㅡ 있어요", "아이스 있어요"),  # separate jamo
    ("아이스", "아이스"),  # conjoining jamo
    ("ㄷㅐㅁㅏ 3g", "대마 3g"),
    ("ㅋㅔㅌㅏㅁㅣㄴ", "케타민"),  # a final consonant
    ("떠ㄹ 팝니다", "떨 팝니다"),  # a lone final after a syllable
    ("아.이.스", "아이스"),
    ("아_이_스", "아이스"),
    ("아 이 스 팝니다", "아이스 팝니다"),
    ("필/로/폰", "필로폰"),
    ("m.d.m.a pills", "mdma pills"),
    ("M-D-M-A", "mdma"),
    ("4 2 0 friendly", "420 friendly"),
    ("ＭＤＭＡ", "mdma"),  # full width
    ("필\u200b로\u00ad폰", "필로폰"),  # invisible characters
]
KEPT = [
    "우리 아이 스스로 공부해요",  # 아이 + 스스로 is not 아이스
    "좋아ㅋㅋ",
    "5,000원 010-1234-5678 2024.01.05 1.5g",
    "아이 스",  # two one-syllable words: not joined
]


@pytest.mark.parametrize(("text", "expected"), UNDONE)
def test_disguises_are_undone(text: str, expected: str) -> None:
    assert normalise(text).text == expected


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_text_is_only_lower_cased(text: str) -> None:
    assert normalise(text).text == text.lower()


def test_offsets_point_into_the_original() -> None:
    original = "고순도 ㅇㅏ.ㅇㅣ.ㅅㅡ 1g"
    norm = normalise(original)
    start = norm.text.index("아이스")
    first, last = norm.original_span(start, start + 3)
    assert original[first:last] == "ㅇㅏ.ㅇㅣ.ㅅㅡ"
    assert norm.is_disguised(start, start + 3)
    dose = norm.text.index("1g")
    assert original[slice(*norm.original_span(dose, dose + 2))] == "1g"
    assert not norm.is_disguised(dose, dose + 2)


def test_offsets_through_every_rewrite_point_at_each_original_character() -> None:
    # Three rewrites in a row (full-width letters and an invisible one, jamo, a split word), each kept as
    # pieces over the one before: every place of the normalised text maps to its original character.
    original = "Ａb\u200bc ㅇㅏㅇㅣㅅㅡ m.d.m.a 4 2 0 end"
    norm = normalise(original)
    assert norm.text == "abc 아이스 mdma 420 end"
    expected = [0, 1, 3, 4, 5, 5, 5, 11, 12, 12, 12, 12, 19, 20, 20, 20, 25, 26, 27, 28, 29]
    assert [norm.original_span(i, i)[0] for i in range(len(norm.text) + 1)] == expected
    assert original[slice(*norm.original_span(4, 7))] == "ㅇㅏㅇㅣㅅㅡ"
    assert original[slice(*norm.original_span(8, 12))] == "m.d.m.a"
    assert norm.original_span(len(norm.text), len(norm.text) + 5) == (len(original), len(original))


def test_split_words_are_found_from_their_separators_as_at_every_position() -> None:
    """The split-word pattern is tried only after a lone unit and a separator: it finds what trying it at
    every position finds."""
    rng = random.Random(11)
    pieces = [*"ab1가힣.,_-·/|~+ ", "  ", "ab", "아이", "é"]
    texts = ["아.이.스 a.b.c 1,000 x y z .a.b a b", "a-b", " a b c", "m.d.m.a. 아 이 스스로"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 20))) for _ in range(5_000)]
    for text in texts:
        assert [m.span() for m in _split_words(text)] == [m.span() for m in _SPLIT_RE.finditer(text)], text
