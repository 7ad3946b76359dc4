"""Every term of the list in a normalised text, in one Aho-Corasick pass (pyahocorasick, in C).

The matches are the ones a regex alternation of the terms, longest first, would find with `finditer`
(`word` terms with no letter on either side, and no digit beside a Latin term's edge, `prefix` terms
with none before, `substring` terms anywhere; bounded terms tried before substring ones at each
position, matches not overlapping), once for the drug terms and once for the cues, from the same pass: a
regex alternation is tried at every position of the text, which cost more than the rest of tagging
together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import ahocorasick

if TYPE_CHECKING:
    from oniondex.argot.terms import Term

# How a term may match at a place, per kind (drug terms, cues): NO, PREFIX (no letter before), WORD (none
# before or after), and whether it may match ANYWHERE (substring terms).
NO, PREFIX, WORD = 0, 1, 2


class Match(NamedTuple):
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TermMatches:
    drug: tuple[Match, ...]  # drug and dead-drop terms
    cue: tuple[Match, ...]  # cue terms, not_drug phrases among them


class TermScanner:
    def __init__(self, terms: tuple[Term, ...]) -> None:
        # term text -> [drug bounded, drug anywhere, cue bounded, cue anywhere]; a prefix way accepts
        # everything a word way does, so it wins.
        ways: dict[str, list[int]] = {}
        for term in terms:
            way = ways.setdefault(term.text, [NO, 0, NO, 0])
            at = 2 if term.is_cue else 0
            if term.match == "substring":
                way[at + 1] = 1
            elif way[at] != PREFIX:
                way[at] = WORD if term.match == "word" else PREFIX
        self._automaton = ahocorasick.Automaton()
        for text, way in ways.items():
            self._automaton.add_word(text, (len(text), text, *way))
        self._empty = not ways
        if ways:
            self._automaton.make_automaton()

    def scan(self, text: str) -> TermMatches:
        if self._empty or not text:
            return TermMatches((), ())
        # (start, -length, entry): sorted, the longest term first at each start (one entry per start and
        # length, so entries are never compared).
        found = sorted([(end + 1 - entry[0], -entry[0], entry) for end, entry in self._automaton.iter(text)])
        drug, cue = _leftmost(text, found)
        return TermMatches(drug, cue)


def _leftmost(text: str, found: list) -> tuple[tuple[Match, ...], tuple[Match, ...]]:  # type: ignore[type-arg]
    """The alternation's `finditer`, for drug terms and cues at once: at each start, the longest bounded
    term that fits, else the longest substring term; the next match of the kind starts after this one."""
    drug: list[Match] = []
    cue: list[Match] = []
    after = [0, 0, 0, 0, 0]  # by the entry's index of the kind's bounded way (2: drug, 4: cue)
    size = len(text)
    count = len(found)
    i = 0
    while i < count:
        start = found[i][0]
        j = i + 1
        while j < count and found[j][0] == start:
            j += 1
        if start >= after[2] or start >= after[4]:
            bounded_start = start == 0 or not _joins(text[start - 1], text[start])
            for way, matches in ((2, drug), (4, cue)):
                if start < after[way]:
                    continue
                chosen = None
                if bounded_start:
                    for _start, _length, entry in found[i:j]:
                        bounded = entry[way]
                        end = start + entry[0]
                        if bounded == PREFIX or (
                            bounded == WORD and (end >= size or not _joins(text[end], text[end - 1]))
                        ):
                            chosen = entry
                            break
                if chosen is None:
                    chosen = next((entry for _s, _l, entry in found[i:j] if entry[way + 1]), None)
                if chosen is not None:
                    after[way] = start + chosen[0]
                    matches.append(Match(start, after[way], chosen[1]))
        i = j
    return tuple(drug), tuple(cue)


def _joins(neighbour: str, edge: str) -> bool:
    """Does `neighbour` join a term whose edge character is `edge` into one word? Letters always do; a
    digit does beside a Latin edge ("bars" in a Monero address …V1BARS6e…, "k2" in a bech32 one), not
    beside Hangul (아이스1g)."""
    if "a" <= neighbour <= "z" or "\uac00" <= neighbour <= "\ud7a3" or "\u3131" <= neighbour <= "\u3163":
        return True
    if "\u0400" <= neighbour <= "\u04ff":
        return True
    return "0" <= neighbour <= "9" and ("a" <= edge <= "z" or "0" <= edge <= "9")
