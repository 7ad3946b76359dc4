"""Korean words to their stems, with the Kiwi morphological analyzer (kiwipiepy, its model in a wheel).

Korean attaches particles and endings to the word (던지기를, 던지기로 = 던지기 + 를 / 로). The bigram field
(analysis.py) finds 던지기 inside both, but also inside any longer word that contains it; the stem field
holds one stem per word instead: the word without its trailing particles and endings, a verb or adjective
as its dictionary form (던집니다 → 던지다), a compound noun whole (아이스크림 stays 아이스크림, so it is no
match for 아이스). The embedded index searches both and ranks stem matches first; queries are stemmed
the same way.

tantivy cannot run a Python tokenizer, so the index stores the stems pre-analysed, space separated. Each
distinct word is analysed once (words repeat: a crawl's vocabulary is small next to its pages), in
batches; a word longer than MAX_WORD is left to the bigrams (no analyzer time on hostile run-ons).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

_HANGUL_WORD_RE = re.compile(r"[\uac00-\ud7a3]+")
MAX_WORD = 24
CACHE_SIZE = 200_000
# Kiwi's tags (Sejong): particles J*, endings E* (ETN nominalises: 던지+기 is the noun 던지기, kept),
# the copula VCP (아이스+입니다); verbs and adjectives get their dictionary form, stem + 다.
_VERBAL = ("VV", "VA", "VX", "XSV", "XSA")


@cache
def _kiwi() -> Kiwi:
    from kiwipiepy import Kiwi

    # No typo or multi-word dictionaries (stems need neither; they double the load time), no worker pool.
    return Kiwi(num_workers=1, load_typo_dict=False, load_multi_dict=False)


class _Stems:
    """Word → stem, analysed on first sight (thread-safe; emptied when it reaches CACHE_SIZE)."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}
        self._lock = threading.Lock()

    def of(self, words: Iterable[str]) -> list[str]:
        words = list(words)
        missing = sorted({w for w in words if w not in self._known and len(w) <= MAX_WORD})
        analysed: dict[str, str] = {}
        if missing:
            analysed = {w: _stem(w, tokens) for w, tokens in zip(missing, _kiwi().tokenize(missing), strict=True)}
            with self._lock:
                if len(self._known) + len(analysed) > CACHE_SIZE:
                    self._known.clear()
                self._known.update(analysed)
        return [w if len(w) > MAX_WORD else analysed.get(w) or self._known.get(w) or self._one(w) for w in words]

    @staticmethod
    def _one(word: str) -> str:
        """A word another thread's clearing took from the cache between the two steps above."""
        return _stem(word, _kiwi().tokenize(word))


def _stem(word: str, tokens: list[Any]) -> str:
    kept = list(tokens)
    while kept and (kept[-1].tag.startswith("J") or kept[-1].tag == "VCP" or _ending(kept[-1].tag)):
        kept.pop()
    if not kept:
        return word
    last = kept[-1]
    if last.tag.split("-")[0] in _VERBAL:  # Kiwi marks irregular verbs VV-I, VA-R…
        return word[: last.start] + last.form + "다"
    return word[: last.start + last.len]


def _ending(tag: str) -> bool:
    return tag.startswith("E") and tag != "ETN"


_STEMS = _Stems()


def hangul_words(text: str) -> list[str]:
    return _HANGUL_WORD_RE.findall(unicodedata.normalize("NFKC", text))


def stems(text: str) -> list[str]:
    """One stem per Hangul word of `text`, in order; [] when it has none (Kiwi is then never loaded)."""
    words = hangul_words(text)
    return _STEMS.of(words) if words else []


def stem_field(text: str) -> str:
    """The stems of a text, space separated, for a whitespace-tokenised field."""
    return " ".join(stems(text))


def chunk_stems(chunks: list[str]) -> list[str]:
    """Each NFKC-normalised whitespace chunk's stems, space separated (lowercased or not: Hangul has no case,
    and no Hangul word spans a space): the chunks' words analysed in one Kiwi batch."""
    words = [_HANGUL_WORD_RE.findall(chunk) for chunk in chunks]
    flat = iter(_STEMS.of([w for found in words for w in found]))
    return [" ".join([next(flat) for _ in found]) for found in words]
