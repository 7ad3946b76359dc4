"""Offline language identification: a script fast path for Hangul and kana, py3langid for the rest.

py3langid ships its model inside the wheel (no download at run time). Text is sampled (first
`SAMPLE_CHARS` characters) and stripped of URLs and digit-bearing tokens (addresses, prices, hashes),
which otherwise pull short pages towards random languages.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

UNDETERMINED = "und"
SAMPLE_CHARS = 1_000  # py3langid costs ~0.8 µs a character; 3,000 were no more accurate on real pages
MIN_LETTERS = 12
MIN_CONFIDENCE = 0.15  # py3langid probabilities are tempered by text length; measured on the sample pages
_NOISY_TOKEN_RE = re.compile(r"\d|://|@")
# Everything but letters (the complement of `[^\W\d_]`): what is left after removing it is the letter
# count, with no list of one-character matches.
_NOT_LETTERS_RE = re.compile(r"[\W\d_]+")
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_KANA_RE = re.compile(r"[\u3040-\u30ff]")


# The longest n-gram state of py3langid's automaton, in bytes (its deepest trie node, measured on the model).
_MAX_STATE_BYTES = 6


class _Identifier(LanguageIdentifier):
    """py3langid's classifier with its feature counts taken by numpy instead of a Python loop per byte
    (most of its cost): the same counts in the same order, so the same scores to the bit.

    The automaton's state after a byte is the longest suffix of the text read so far that is one of its
    n-gram prefixes, at most `_MAX_STATE_BYTES` long: so it is the state reached from the start state by
    the last `_MAX_STATE_BYTES` bytes alone, and all positions are walked at once, one byte of
    look-back per step."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._moves = np.frombuffer(self.tk_nextmove, dtype=np.dtype(self.tk_nextmove.typecode))
        self._rows = np.asarray(self._rowbase, dtype=np.int64)
        self._features = np.asarray(self.tk_output, dtype=np.int64)
        self._table = self.nb_ptc

    def _visits(self, text: bytes) -> dict[int, int]:
        """{feature: count} in the order features first occur, as py3langid's `visit_counts` gives."""
        data = np.frombuffer(text, dtype=np.uint8)
        states = np.zeros(len(data), dtype=np.int64)
        for back in range(min(_MAX_STATE_BYTES, len(data)) - 1, -1, -1):
            states[back:] = self._moves[self._rows[states[back:]] + data[: len(data) - back]]
        features = self._features[states]
        # Counter keeps first occurrences' order, as py3langid's does: cheaper than a numpy unique and
        # sort of a thousand features, whose many small calls cost most on a cache the page parse emptied.
        return Counter(features[features >= 0].tolist())

    def _raw_score(self, text: bytes) -> np.ndarray:
        visits = self._visits(text)
        if visits:
            return self._sparse_score(visits, self._table)
        return np.zeros(len(self.nb_classes), dtype=np.float32)  # no features: uniform under norm_probs

    def set_languages(self, langs: list[str] | None = None) -> None:
        super().set_languages(langs)
        # Row-major: a page's few hundred feature rows are gathered from it (the column selection leaves it
        # column-major, where that gather cost more than the rest of the scoring).
        self._table = np.ascontiguousarray(self.nb_ptc)


@functools.cache
def _identifier() -> LanguageIdentifier:
    identifier = _Identifier.from_model_file(MODEL_FILE, norm_probs=True)
    # ISO 639-1 only: the model also knows ~25 languages with three-letter codes only (pcm, bcl, …).
    identifier.set_languages([code for code in identifier.nb_classes if len(code) == 2])
    return identifier


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's main language, or "und" when there is too little to tell."""
    sample = " ".join(t for t in text[:SAMPLE_CHARS].split() if not _NOISY_TOKEN_RE.search(t))
    letters = len(_NOT_LETTERS_RE.sub("", sample))
    if letters < MIN_LETTERS:
        return UNDETERMINED
    if len(_HANGUL_RE.findall(sample)) >= 0.3 * letters:
        return "ko"
    if len(_KANA_RE.findall(sample)) >= 0.1 * letters:
        return "ja"
    language, confidence = _identifier().classify(sample)
    return str(language) if confidence >= MIN_CONFIDENCE else UNDETERMINED
