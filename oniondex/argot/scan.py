"""Every term of the list in a normalised text, in one Aho-Corasick pass (pyahocorasick, in C).

The matches are the ones a regex alternation of the terms, longest first, would find with `finditer`
(`word` terms with no letter on either side, and no digit beside a Latin term's edge, `prefix` terms
with none before, `substring` terms anywhere; bounded terms tried before substring ones at each
position, matches not overlapping), once for the drug terms and once for the cues, from the same pass: a
regex alternation is tried at every position of the text, which cost more than the rest of tagging
together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick

if TYPE_CHECKING:
    from oniondex.argot.terms import Term

LETTER = r"a-z\uac00-\ud7a3\u3131-\u3163\u0400-\u04ff"
_IS_LETTER = re.compile(f"[{LETTER}]").match
# A Latin term's edge also needs no digit beside it: "bars" in a Monero address (…V1BARS6e…) or "k2" in
# a bech32 one is part of a token, not a word. Hangul terms keep digits as boundaries (아이스1g).
_IS_LATIN = re.compile("[a-z0-9]").match
_IS_WORD = re.compile(f"[{LETTER}0-9]").match
DRUG, CUE = 0, 1
BOUNDED, ANYWHERE = 0, 1


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TermMatches:
    drug: tuple[Match, ...]  # drug and dead-drop terms
    cue: tuple[Match, ...]  # cue terms, not_drug phrases among them


class TermScanner:
    def __init__(self, terms: tuple[Term, ...]) -> None:
        # term text -> the (kind, group, word) ways it may match, where group is BOUNDED or ANYWHERE and
        # word says the end needs a non-letter too.
        ways: dict[str, set[tuple[int, int, bool]]] = {}
        for term in terms:
            group = ANYWHERE if term.match == "substring" else BOUNDED
            ways.setdefault(term.text, set()).add((CUE if term.is_cue else DRUG, group, term.match == "word"))
        self._automaton = ahocorasick.Automaton()
        for text, how in ways.items():
            self._automaton.add_word(text, (len(text), text, frozenset(how)))
        self._empty = not ways
        if ways:
            self._automaton.make_automaton()

    def scan(self, text: str) -> TermMatches:
        if self._empty or not text:
            return TermMatches((), ())
        by_start: dict[int, list[tuple[int, str, frozenset[tuple[int, int, bool]]]]] = {}
        for end, (length, term, how) in self._automaton.iter(text):
            by_start.setdefault(end + 1 - length, []).append((length, term, how))
        starts = sorted(by_start)
        return TermMatches(_leftmost(text, starts, by_start, DRUG), _leftmost(text, starts, by_start, CUE))


def _leftmost(text: str, starts: list[int], by_start: dict, kind: int) -> tuple[Match, ...]:  # type: ignore[type-arg]
    """The alternation's `finditer`: at each start, the longest bounded term that fits, else the longest
    substring term; the next match starts after this one ends."""
    found: list[Match] = []
    after = 0
    for start in starts:
        if start < after:
            continue
        candidates = sorted(by_start[start], reverse=True)  # longest first
        bounded_start = start == 0 or not _touches(text, start - 1, start)
        chosen = None
        if bounded_start:
            chosen = next((c for c in candidates if _fits(text, start, c, kind, BOUNDED)), None)
        if chosen is None:
            chosen = next((c for c in candidates if _fits(text, start, c, kind, ANYWHERE)), None)
        if chosen is not None:
            after = start + chosen[0]
            found.append(Match(start, after, chosen[1]))
    return tuple(found)


def _fits(text: str, start: int, candidate: tuple, kind: int, group: int) -> bool:  # type: ignore[type-arg]
    length, _term, how = candidate
    end = start + length
    for way_kind, way_group, word in how:
        if way_kind != kind or way_group != group:
            continue
        if not word or end >= len(text) or not _touches(text, end, end - 1):
            return True
    return False


def _touches(text: str, neighbour: int, edge: int) -> bool:
    """Does the character at `neighbour` join the term whose edge character is at `edge` into one word?"""
    return bool((_IS_WORD if _IS_LATIN(text, edge) else _IS_LETTER)(text, neighbour))
