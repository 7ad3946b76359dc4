"""Cheap candidate positions for the finders, so their exact regexes run only where a match can start.

Running a dozen regexes over every character of a 300 KB page costs tens of milliseconds (a pattern that
opens with a look-behind or IGNORECASE is tried at every position). Instead each finder asks for anchors
found at C speed (`str.find`, `bytes.translate`) and matches its unchanged pattern there. Look-behinds see
the text before `pos`, so a match at an anchor is the match a whole-text scan would find.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

# Shortest run of ASCII letters/digits that any address, onion or id finder can match (a segwit address).
MIN_RUN = 14
_RUN_TABLE = bytes(0x61 if chr(i).isascii() and chr(i).isalnum() else 0x20 for i in range(256))


@functools.lru_cache(maxsize=4)
def alnum_runs(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of every maximal run of at least MIN_RUN ASCII letters and digits, in order."""
    return tuple(_marked_runs(text, _RUN_TABLE, MIN_RUN))


def runs_of(characters: str, shortest: int) -> Callable[[str], Iterator[tuple[int, int]]]:
    """A scanner for the (start, end) of every maximal run of at least `shortest` of the given ASCII
    characters, in order."""
    table = bytes(0x61 if chr(i) in characters else 0x20 for i in range(256))
    return lambda text: _marked_runs(text, table, shortest)


@functools.lru_cache(maxsize=4)
def ascii_bytes(text: str) -> bytes:
    """The text as ASCII bytes, one '?' per other code point, so offsets are kept: what the scans here
    and the channel cleaning search at C speed. Cached: both ask for the same few channels."""
    return text.encode("ascii", "replace")


def _marked_runs(text: str, table: bytes, shortest: int) -> Iterator[tuple[int, int]]:
    # translate maps run characters to 'a', the rest to ' '.
    mapped = ascii_bytes(text).translate(table)
    needle = b"a" * shortest
    start = mapped.find(needle)
    while start != -1:
        end = mapped.find(b" ", start + shortest)
        end = len(mapped) if end == -1 else end
        yield start, end
        start = mapped.find(needle, end)


# Shortest run any finder but segwit's can match (a base58 address). Most runs are shorter (hrefs: path
# segments and ids), so the other finders walk only the long ones.
LONG_RUN = 25


@functools.lru_cache(maxsize=4)
def _long_runs(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(run for run in alnum_runs(text) if run[1] - run[0] >= LONG_RUN)


def runs_between(text: str, shortest: int, longest: int) -> Iterator[tuple[int, int]]:
    for start, end in _long_runs(text) if shortest >= LONG_RUN else alnum_runs(text):
        if shortest <= end - start <= longest:
            yield start, end


@functools.lru_cache(maxsize=4)
def lowered(text: str) -> str | None:
    """The text in lower case when that keeps every offset (almost always), else None."""
    low = text.lower()
    return low if len(low) == len(text) else None


@functools.lru_cache(maxsize=32)
def positions(text: str, needles: str | tuple[str, ...]) -> tuple[int, ...]:
    """Sorted offsets of every occurrence of any needle (needles that overlap are all kept); a str is
    one-character needles. Cached: several finders, and the Telegram test before them, ask a channel for
    the same needles (a few channels a page, up to six needle sets each)."""
    if len(needles) == 1:  # one needle's occurrences come sorted and distinct
        return tuple(_occurrences(text, needles[0]))
    found: set[int] = set()
    for needle in needles:
        found.update(_occurrences(text, needle))
    return tuple(sorted(found))


def _occurrences(text: str, needle: str) -> Iterator[int]:
    at = text.find(needle)
    while at != -1:
        yield at
        at = text.find(needle, at + 1)


def match_around(pattern: re.Pattern[str], text: str, anchor: int, before: int, after: int) -> re.Match[str] | None:
    """The leftmost match of `pattern` that covers `anchor`, looking `before`/`after` characters around it
    (callers size these from the pattern's bounded quantifiers, plus one for a trailing look-ahead)."""
    pos, end = max(0, anchor - before), min(len(text), anchor + after)
    while (match := pattern.search(text, pos, end)) is not None and match.start() <= anchor:
        if match.end() > anchor:
            return match
        pos = max(match.end(), match.start() + 1)
    return None


def matches_around(
    pattern: re.Pattern[str], text: str, anchors: Sequence[int], before: int, after: int
) -> Iterator[re.Match[str]]:
    """The non-overlapping matches covering the anchors, in order: what `finditer` finds there."""
    last_end = -1
    for anchor in anchors:
        if anchor < last_end:
            continue  # inside the previous match
        match = match_around(pattern, text, anchor, before, after)
        if match is not None and match.start() >= last_end:
            last_end = match.end()
            yield match
