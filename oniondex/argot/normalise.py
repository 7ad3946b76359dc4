"""Text normalisation before term matching, shared by tagging and search.

Ads disguise their words so that keyword filters miss them (the sources: "consonant-only or altered
spellings", "masked terms like 아○○"). This module undoes the disguises that need no term list: case,
NFKC (full-width and styled letters), invisible characters, Hangul written as separate jamo (ㅇㅏㅇㅣㅅㅡ →
아이스, also a lone final: 떠ㄹ → 떨) and single letters split by one repeated separator (아.이.스, 아_이_스,
아 이 스, m.d.m.a, 4 2 0). Masks (아○○) and leetspeak need the term list: `oniondex.argot.match` does them.

Every normalised character keeps the offset of the original character it came from, so evidence can
point into the page as it was.
"""

from __future__ import annotations

import bisect
import heapq
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# Characters whose NFKC form differs or that readers never see; everything else is copied unchanged,
# which keeps the common case (plain Hangul and ASCII) to one regex scan.
_SPECIAL_RE = re.compile(
    "[\u00ad\u200b-\u200f\u2060\ufeff\ufe00-\ufe0f\uff01-\uff5e\uffa0-\uffdc\u2460-\u24ff\u3200-\u32ff"
    "\u2070-\u209f\ufb00-\ufb06\U0001d400-\U0001d7ff\u1100-\u11ff]"
)
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff") | {chr(c) for c in range(0xFE00, 0xFE10)}

# Hangul composition (Unicode ch. 3.12). Compatibility jamo (ㄱ U+3131 …) are what keyboards type.
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_JAMO_RUN_RE = re.compile("[\u3131-\u3163]{2,}|[가-힣][ㄱㄴㄹㅂㅅㅆ](?![\u3131-\u3163가-힣])")
# Conjoining jamo (U+1100…) as NFKC-free compatibility jamo, so one composer handles both.
_CONJOINING = {0x1100 + i: c for i, c in enumerate(_INITIALS)} | {0x1161 + i: c for i, c in enumerate(_VOWELS)}
_CONJOINING |= {0x11A7 + i: c for i, c in enumerate(_FINALS) if i}

# One character, one repeated separator, one character...: 아.이.스, m-d-m-a (two or more characters),
# 아 이 스, 4 2 0 (three or more with spaces, so that two one-syllable words in a row stay apart).
_UNIT = "[가-힣a-z0-9]"
# The pattern opens with the first character and looks behind after it, so the regex engine skips in C to
# letters and digits (a look-behind first is tried at every position).
_SPLIT_RE = re.compile(
    rf"{_UNIT}(?:(?<![가-힣a-z0-9.].)(?P<sep>[._\-·/|~+,])(?:{_UNIT}(?P=sep))*{_UNIT}(?![a-z0-9])"
    rf"|(?<![가-힣a-z0-9].)(?P<space> )(?:{_UNIT}(?P=space))+{_UNIT}(?![가-힣a-z0-9]))"
)
# Where a split word can start, found from its first separator instead of trying the pattern at every
# letter (one pattern per kind of separator: an alternation is slower than both): the separator follows a
# lone unit, what _SPLIT_RE opens with, and a unit follows it (a space: a unit and a space, as a
# space-split word has at least three units). The unit before the separator is where the word starts.
_SEPARATOR_AT_RE = re.compile(rf"[._\-·/|~+,](?<={_UNIT}.)(?<![가-힣a-z0-9.]..)(?={_UNIT})")
_SPACE_AT_RE = re.compile(f" (?={_UNIT} )")
_COMPATIBILITY_JAMO_RE = re.compile("[\u3131-\u3163]")  # every jamo run has one


class Offsets:
    """Where each character of a rewritten text starts in the original, and one entry past the last for
    the text's end (`offsets[i]`), kept as pieces: a copied stretch maps one to one, every character of a
    rewritten piece to the piece's first original character. An entry a character cost a third of
    normalising a market page that has one split word."""

    __slots__ = ("_originals", "_starts")

    def __init__(self, starts: list[int], originals: list[tuple[int, bool]]) -> None:
        self._starts = starts  # where each piece starts in the rewritten text
        self._originals = originals  # (where it starts in the original, copied)

    def __getitem__(self, position: int) -> int:
        piece = bisect.bisect_right(self._starts, position) - 1
        original, copied = self._originals[piece]
        return original + position - self._starts[piece] if copied else original

    def copy(self, start: int, end: int, to: int, starts: list[int], originals: list[tuple[int, bool]]) -> None:
        """Append the pieces of places start..end-1, moved to start at `to`, to `starts` and `originals`."""
        piece = bisect.bisect_right(self._starts, start) - 1
        while piece < len(self._starts) and self._starts[piece] < end:
            first = max(self._starts[piece], start)
            starts.append(to + first - start)
            originals.append((self[first], self._originals[piece][1]))
            piece += 1


@dataclass(frozen=True)
class Normalised:
    """`text` for matching; `offsets[i]` is where text[i] starts in the original (one extra entry at
    the end for the end of the text); `disguised` the original (start, end) spans where a disguise was undone."""

    text: str
    offsets: Offsets | None  # None: same length and positions as the original
    disguised: tuple[tuple[int, int], ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if self.offsets is None:
            return start, end
        return self.offsets[start], self.offsets[min(end, len(self.text))]

    def is_disguised(self, start: int, end: int) -> bool:
        """Does text[start:end] overlap an undone disguise?"""
        if not self.disguised:
            return False
        first, last = self.original_span(start, end)
        return any(s < max(last, first + 1) and first < e for s, e in self.disguised)


def normalise(text: str) -> Normalised:
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters (İ) grow when lowered: keep those as they are
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    current, offsets = lowered, None
    jamo: list[tuple[int, int]] = []
    if not current.isascii():  # special characters and jamo are not ASCII
        current, offsets, _ = _rewrite(current, offsets, _SPECIAL_RE.finditer(current), _special)
        if _COMPATIBILITY_JAMO_RE.search(current):
            current, offsets, jamo = _rewrite(current, offsets, _JAMO_RUN_RE.finditer(current), _compose)
    current, offsets, split = _rewrite(current, offsets, _split_words(current), _join)
    return Normalised(current, offsets, tuple(sorted(jamo + split)))


def _split_words(text: str) -> Iterator[re.Match[str]]:
    """`_SPLIT_RE.finditer(text)`, tried only where a separator says a match can start."""
    end = 0
    separators = heapq.merge(_SEPARATOR_AT_RE.finditer(text), _SPACE_AT_RE.finditer(text), key=re.Match.start)
    for separator in separators:
        start = separator.start() - 1
        if start >= end:
            match = _SPLIT_RE.match(text, start)
            if match is not None:
                end = match.end()
                yield match


def _rewrite(text, offsets, matches, replace):  # type: ignore[no-untyped-def]
    """Apply `replace(match) -> str | None` to every match (in order, not overlapping); None keeps the
    match. Returns the new text, its offsets into the original and the original spans of the changed
    pieces."""
    pieces: list[str] = []
    starts: list[int] = []
    originals: list[tuple[int, bool]] = []
    changed: list[tuple[int, int]] = []
    position = length = 0

    def copy(start: int, end: int) -> None:  # places start..end-1 of `text`, unchanged, at `length`
        if start < end:
            if offsets is None:
                starts.append(length)
                originals.append((start, True))
            else:
                offsets.copy(start, end, length, starts, originals)

    for match in matches:
        replacement = replace(match)
        if replacement is None or replacement == match.group():
            continue
        start, end = match.span()
        pieces.append(text[position:start])
        copy(position, start)
        length += start - position
        pieces.append(replacement)
        if replacement:
            # Every output character of a rewritten piece points at the piece's first original character.
            first = start if offsets is None else offsets[start]
            starts.append(length)
            originals.append((first, False))
            changed.append((first, end if offsets is None else offsets[end]))
        length += len(replacement)
        position = end
    if not pieces:
        return text, offsets, []
    pieces.append(text[position:])
    copy(position, len(text) + 1)  # and the end of the text
    return "".join(pieces), Offsets(starts, originals), changed


def _special(match: re.Match[str]) -> str:
    char = match.group()
    if char in _INVISIBLE:
        return ""
    if ord(char) in _CONJOINING:
        return _CONJOINING[ord(char)]
    return unicodedata.normalize("NFKC", char).lower()


def _compose(match: re.Match[str]) -> str:
    run = match.group()
    if "가" <= run[0] <= "힣":  # a syllable and a lone final consonant: 떠ㄹ → 떨
        syllable, final = run
        if (ord(syllable) - 0xAC00) % 28 or final not in _FINALS:
            return run
        return chr(ord(syllable) + _FINALS.index(final))
    out, i = [], 0
    while i < len(run):
        initial = run[i]
        if initial in _INITIALS and i + 1 < len(run) and run[i + 1] in _VOWELS:
            code = 0xAC00 + (_INITIALS.index(initial) * 21 + _VOWELS.index(run[i + 1])) * 28
            i += 2
            # A consonant closes the syllable unless it starts the next one.
            if i < len(run) and run[i] in _FINALS[1:] and not (i + 1 < len(run) and run[i + 1] in _VOWELS):
                code += _FINALS.index(run[i])
                i += 1
            out.append(chr(code))
        else:
            out.append(initial)
            i += 1
    return "".join(out)


def _join(match: re.Match[str]) -> str:
    separator = match.group("sep") or match.group("space")
    return match.group().replace(separator, "")
