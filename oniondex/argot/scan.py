"""Every term of a list in a normalised text, from an Aho-Corasick pass (ahocorasick-rs, in Rust).

The matches are the ones a regex alternation of the terms, longest first, would find with `finditer`
(`word` terms with no letter on either side, and no digit beside a Latin term's edge, `prefix` terms
with none before, `substring` terms anywhere; bounded terms tried before substring ones at each
position, matches not overlapping), once for the drug terms and once for the cues, each from its own
automaton: a regex alternation is tried at every position of the text, which cost more than the rest of
tagging together. Cues only matter beside a drug term, so the classifier scans for them only on the few
pages that have one, and there only near the terms and for the few cues it reads page-wide (`scan_near`,
which gives the same matches there as a whole scan); the two kinds never hide each other's matches, so
scanning them apart finds the same.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from typing import TYPE_CHECKING, NamedTuple

import ahocorasick_rs

if TYPE_CHECKING:
    from oniondex.argot.terms import Term

# How a term may match at a place when bounded: NO, PREFIX (no letter before), WORD (none before or
# after); apart from that, whether it may match ANYWHERE (substring terms).
NO, PREFIX, WORD = 0, 1, 2

# Characters that join a term's edge into a longer word (the `_joins` rule below), as sets: the per-match
# check is the scan's inner loop.
_LETTERS = frozenset(
    [chr(c) for c in range(ord("a"), ord("z") + 1)]
    + [chr(c) for c in range(0xAC00, 0xD7A4)]  # Hangul syllables
    + [chr(c) for c in range(0x3131, 0x3164)]  # compatibility jamo
    + [chr(c) for c in range(0x0400, 0x0500)]  # Cyrillic
)
_DIGITS = frozenset("0123456789")
_LATIN_OR_DIGIT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


class Match(NamedTuple):
    start: int
    end: int
    text: str


# Builds a Match from a (start, end, text) tuple in C: a NamedTuple's own constructor is Python, and pages
# have hundreds of matches.
_match = functools.partial(tuple.__new__, Match)


class TermScanner:
    """The leftmost-longest matches of one kind of term (`scan(text)`)."""

    def __init__(self, terms: tuple[Term, ...]) -> None:
        # term text -> [bounded way, anywhere]; a prefix way accepts everything a word way does, so it wins.
        ways: dict[str, list[int]] = {}
        for term in terms:
            way = ways.setdefault(term.text, [NO, 0])
            if term.match == "substring":
                way[1] = 1
            elif way[0] != PREFIX:
                way[0] = WORD if term.match == "word" else PREFIX
        # Every occurrence is wanted (overlapping, Standard): the boundaries decide which one counts.
        # A DFA: more memory than the default NFA, a scan in less than half the time.
        self._automaton = ahocorasick_rs.AhoCorasick(
            list(ways), matchkind=ahocorasick_rs.MatchKind.Standard, implementation=ahocorasick_rs.Implementation.DFA
        )
        self._entries = [(len(text), text, bounded, anywhere) for text, (bounded, anywhere) in ways.items()]

    def scan(self, text: str) -> tuple[Match, ...]:
        return _leftmost(text, self._occurrences(text))

    def scan_near(self, text: str, spans: list[tuple[int, int]], anywhere: frozenset[str]) -> tuple[Match, ...]:
        """The matches of `scan(text)` that start in one of `spans` (start, end) or whose term is one of
        `anywhere`, and possibly more of its matches around those; in order.

        Exact, not an approximation: the pass starts from a place no occurrence of any term spans (there the
        leftmost pass has nothing pending, whatever came before), so every match it gives is one of
        `scan`'s."""
        found = self._occurrences(text)
        if not found or _covered(spans) * 2 >= len(text):
            return _leftmost(text, found)  # spans over half the text: picking their occurrences costs more
        starts = [entry[0] for entry in found]
        # The furthest end of the occurrences up to each one.
        reach = list(itertools.accumulate((start - minus_length for start, minus_length, _ in found), max))
        ranges = [(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)) for a, b in spans]
        ranges += [
            (bisect.bisect_left(starts, start), bisect.bisect_right(starts, start))
            for start, _, entry in found
            if entry[1] in anywhere
        ]
        merged: list[list[int]] = []  # [low, high) index ranges of `found`, in order, apart
        for low, high in sorted(ranges):
            if low >= high:
                continue
            # Back to a start no earlier occurrence spans (unless the range joins the one before anyway).
            while low > 0 and reach[low - 1] > starts[low] and not (merged and low <= merged[-1][1]):
                low = bisect.bisect_left(starts, starts[low - 1])
            if merged and low <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], high)
            else:
                merged.append([low, high])
        return tuple(match for low, high in merged for match in _leftmost(text, found[low:high]))

    def _occurrences(self, text: str) -> list:  # type: ignore[type-arg]
        """Every occurrence of every term as (start, -length, entry), sorted: the longest term first at each
        start (one entry per start and length, so entries are never compared)."""
        if not self._entries or not text:
            return []
        entries = self._entries
        return sorted(
            [
                (start, start - end, entries[index])
                for index, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True)
            ]
        )


def _covered(spans: list[tuple[int, int]]) -> int:
    """How many places the spans cover together."""
    covered = reach = 0
    for start, end in sorted(spans):
        start = max(start, reach)
        if end > start:
            covered += end - start
            reach = end
    return covered


def _leftmost(text: str, found: list) -> tuple[Match, ...]:  # type: ignore[type-arg]
    """The alternation's `finditer`: at each start, the longest bounded term that fits, else the longest
    substring term; the next match starts after this one."""
    matches: list[Match] = []
    after = 0  # where the last match ended
    size = len(text)
    at = -1  # the start whose terms are being tried
    fallback = None  # the longest substring term there, if no bounded one fits
    for start, _length, entry in found:
        if start != at:
            if fallback is not None:
                after = at + fallback[0]
                matches.append(_match((at, after, fallback[1])))
                fallback = None
            at = start
            # _joins inlined: this loop runs for every occurrence of every term.
            before = text[start - 1] if start else ""
            bounded_start = not (before in _LETTERS or (before in _DIGITS and text[start] in _LATIN_OR_DIGIT))
        if start < after:
            continue
        bounded = entry[2]
        if bounded and bounded_start:
            end = start + entry[0]
            if bounded == PREFIX or end >= size or not _joins(text[end], text[end - 1]):
                after = end
                matches.append(_match((start, end, entry[1])))
                fallback = None
                continue
        if fallback is None and entry[3]:
            fallback = entry
    if fallback is not None:
        matches.append(_match((at, at + fallback[0], fallback[1])))
    return tuple(matches)


def _joins(neighbour: str, edge: str) -> bool:
    """Does `neighbour` join a term whose edge character is `edge` into one word? Letters (Latin, Hangul,
    Cyrillic) always do; a digit does beside a Latin edge ("bars" in a Monero address …V1BARS6e…, "k2" in
    a bech32 one), not beside Hangul (아이스1g)."""
    return neighbour in _LETTERS or (neighbour in _DIGITS and edge in _LATIN_OR_DIGIT)
