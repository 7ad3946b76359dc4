"""Drug terms in normalised text: listed spellings, masked spellings (아○○, c*ke), consonant-only
spellings (ㅍㄹㅍ) and leetspeak (m3th, x@n@x), each hit marked with how it was written."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from oniondex.argot.normalise import Normalised
from oniondex.argot.scan import Match
from oniondex.argot.terms import NOT_DRUG, Term, TermList
from oniondex.entities.scan import positions

# One-syllable (or one-letter) wildcards ads put in place of the telling part of a word.
MASKS = "○●◯◎□■△▲▽▼◇◆☆★*×?_ㅁ"
_MASK_RE = re.compile(f"[{re.escape(MASKS)}]")
_ASCII_MASKS = tuple(mask for mask in MASKS if mask.isascii())
# The patterns open with a character class and look behind after it, so the regex engine skips in C to
# the few places a match can start (a look-behind first is tried at every position).
_INITIALS_RE = re.compile(r"[\u3131-\u314e](?<![\u3131-\u3163가-힣].)[\u3131-\u314e]{2,5}(?![\u3131-\u3163])")
# Leetspeak: a token (nothing of [a-z0-9@$] before it) with a letter in it, whose first character after
# its leading letters is a leet digit or sign (c0ke, x@n@x, 1sd). The pattern finds that leet character:
# right after a letter, or opening a token that has a letter later; the token is then read around it. (*+:
# a letter is none of the leet characters, so backtracking into them never finds one.)
_LEET_AT_RE = re.compile(r"[0134578@$!|](?:(?<=[a-z].)|(?<![a-z0-9@$].)(?=[0-9@$!|]*+[a-z]))")
_LEET_TOKEN_RE = re.compile(r"[a-z0-9@$!|]*")
_TOKEN_RUN_RE = re.compile(f"[가-힣a-z{re.escape(MASKS)}]*")
_TOKEN_TAIL_RE = re.compile(f"[가-힣a-z{re.escape(MASKS)}]*$")
_LEET = str.maketrans("0134578@$!|", "oieastbasil")
_LEET_L = str.maketrans("1", "l")
_NOT_BEFORE_LEET = frozenset("0123456789@$")
LATIN_MASKS = "*○●×"  # _ and ? join or end ordinary Latin words (snake_case, "why?")
_HANGUL_RE = re.compile("[\u3131-\u3163가-힣]")  # what a masked Korean word or a consonant spelling needs
PARTICLE_MAX = 2
MAX_MASKED_WORD = 24  # syllables a Korean particle/ending may add after a masked word (를, 으로)


class Hit(NamedTuple):  # a tuple: pages have hundreds of hits
    term: Term
    start: int  # in the normalised text
    end: int
    written: str  # "plain", or the disguise undone: "emoji", "translit", "masked", "initials", "leet", "spelled"


_hit = functools.partial(tuple.__new__, Hit)  # a Hit from a tuple, built in C (as scan.py's matches)


def listed_hits(norm: Normalised, terms: TermList, found: tuple[Match, ...]) -> list[Hit]:
    """Terms as listed (after normalisation; `found` is the drug scan of `norm.text`) and in leetspeak."""
    hits = []
    for match in found:
        term = terms.by_text.get(match.text)
        if term is None:
            continue
        spelled = norm.is_disguised(match.start, match.end)
        written = term.form if term.form != "plain" else ("spelled" if spelled else "plain")
        hits.append(_hit((term, match.start, match.end, written)))
    hits.extend(_leet_hits(norm.text, terms))
    return hits


def may_have_wildcards(text: str) -> bool:
    if text.isascii():  # no jamo, and only the ASCII masks: a string search each
        return any(mask in text for mask in _ASCII_MASKS)
    return any(mask in text for mask in MASKS) or _INITIALS_RE.search(text) is not None


def wildcard_hits(text: str, terms: TermList) -> list[Hit]:
    """Masked (아○○) and consonant-only (ㅍㄹㅍ) spellings."""
    # No Hangul and no jamo (isascii costs nothing): only a Latin mask can stand in a word.
    if text.isascii() or _HANGUL_RE.search(text) is None:
        return _masked_hits(text, terms) if any(mask in text for mask in LATIN_MASKS) else []
    return _masked_hits(text, terms) + _initials_hits(text, terms)


def without_innocent(hits: list[Hit], cues: tuple[Match, ...], terms: TermList) -> list[Hit]:
    if not hits:
        return hits
    innocent = [(m.start, m.end) for m in cues if terms.cue_by_text[m.text].category == NOT_DRUG]
    return [h for h in hits if not any(s <= h.start < e for s, e in innocent)]


def _leet_hits(text: str, terms: TermList) -> list[Hit]:
    hits = []
    after = 0  # where the next leet character is looked for: past the last token read
    while (at := _LEET_AT_RE.search(text, after)) is not None:
        start = at.start()
        after = start + 1
        while start > 0 and "a" <= text[start - 1] <= "z":
            start -= 1
        if start > 0 and text[start - 1] in _NOT_BEFORE_LEET:
            continue  # inside a longer token (9ab1)
        end = after = _LEET_TOKEN_RE.match(text, at.start()).end()  # type: ignore[union-attr]
        if end - start not in terms.text_lengths:
            continue  # decoding keeps the length: no term is this long (a Bitcoin address)
        word = text[start:end]
        for decoded in (word.translate(_LEET), word.translate(_LEET_L).translate(_LEET)):
            term = terms.by_text.get(decoded)
            if term is not None and decoded != word:
                hits.append(Hit(term, start, end, "leet"))
                break
    return hits


def _masked_hits(text: str, terms: TermList) -> list[Hit]:
    """Words with mask characters matched against terms of the same length, the masks standing for any one
    character; the word may carry a particle after it. A mask must stand beside a known character."""
    hits: list[Hit] = []
    covered = -1
    decoded: dict[str, tuple[Term, int] | None] = {}  # a page repeats its masked words (★, **)
    for at in positions(text, MASKS):  # str.find per mask: faster than a regex class scan
        if at < covered:
            continue
        # The word around the mask; a left part longer than a word may be is only looked at that far
        # (such a word is skipped below anyway).
        tail = _TOKEN_TAIL_RE.search(text, max(0, at - MAX_MASKED_WORD - 1), at)
        start = tail.start() if tail else at
        end = _TOKEN_RUN_RE.match(text, at + 1).end()  # type: ignore[union-attr]
        covered = end
        if end - start > MAX_MASKED_WORD:  # a run of symbols or a glued line, not a disguised word
            continue
        word = text[start:end]
        if word not in decoded:
            decoded[word] = _masked_word(word, terms)
        hit = decoded[word]
        if hit is not None:
            term, offset = hit
            hits.append(Hit(term, start + offset, start + offset + len(term.text), "masked"))
    return hits


def _masked_word(word: str, terms: TermList) -> tuple[Term, int] | None:
    has_hangul = any("가" <= c <= "힣" for c in word)
    if not has_hangul and not any(c in LATIN_MASKS for c in word):
        return None  # a Latin word masked with ? or _ (why?, snake_case) is never a disguise
    if not has_hangul and sum(c not in MASKS for c in word) < 3:
        return None  # a Latin piece needs three known letters (below), the word has fewer
    for length in terms.masked_lengths:
        if length > len(word):
            continue
        # The piece ends at most PARTICLE_MAX characters before the word does.
        for offset in range(max(0, len(word) - length - PARTICLE_MAX), len(word) - length + 1):
            piece, rest = word[offset : offset + length], word[offset + length :]
            known = sum(c not in MASKS for c in piece)
            if known == length or _MASK_RE.search(rest):
                continue
            # Hangul: one known syllable of three is enough (아○○); Latin: three known letters (c*ke).
            hangul = "가" <= max(piece) <= "힣"
            if known < (1 if hangul else 3) or not (hangul or all(c in LATIN_MASKS for c in piece if c in MASKS)):
                continue
            first = next(index for index, c in enumerate(piece) if c not in MASKS)
            for term in terms.by_length_and_letter.get((length, first, piece[first]), ()):
                if all(c == t or c in MASKS for c, t in zip(piece, term.text, strict=True)):
                    return term, offset
    return None


def _initials_hits(text: str, terms: TermList) -> list[Hit]:
    hits = []
    for match in _INITIALS_RE.finditer(text):
        term = terms.initials.get(match.group())
        if term is not None:
            hits.append(Hit(term, match.start(), match.end(), "initials"))
    return hits
