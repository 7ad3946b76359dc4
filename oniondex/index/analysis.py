"""Text analysis the backends share, so Korean and English queries match the same pages in both.

Korean has no spaces between a word and its particles (아이스를 = 아이스 + 를), so whole-word search
misses it. Like Elasticsearch's `cjk` analyzer we index overlapping bigrams of CJK runs: 아이스를 →
아이 이스 스를, and the query 아이스 → the phrase "아이 이스", which matches inside 아이스를.

Queries are parsed here once, into `Clause`s, and each backend translates the same clauses, so the
operators mean the same thing in both: words and "phrases" must all match, `a OR b` matches either
side, `-word` and `NOT word` exclude. Field prefixes and other syntax are read as plain words.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter

# Hangul syllables and jamo, CJK ideographs, kana: scripts written without spaces between words.
_CJK = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_TOKEN_RE = re.compile(rf"[{_CJK}]+|[^\W{_CJK}]+")
_CJK_RUN_RE = re.compile(rf"^[{_CJK}]+$")
_QUERY_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
SNIPPET_CHARS = 200
MAX_QUERY_TERMS = 32


@dataclass(frozen=True)
class Term:
    """Words that must appear together, in order. `cjk` terms are searched as bigram phrases."""

    words: tuple[str, ...]
    cjk: bool
    negated: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)


def cjk_tokens(text: str) -> list[str]:
    """Lowercased word tokens, with every CJK run split into bigrams (a lone character stays a unigram)."""
    return cjk_field(text).split()


def cjk_field(text: str) -> str:
    """The bigram form of a text, space separated, for a whitespace-tokenised field."""
    return cjk_field_of_chunks(text_chunks(text))


def text_chunks(text: str) -> list[str]:
    """A text NFKC-normalised, lowercased and split at whitespace: what the pre-analysed fields are built from
    (the bigrams here, Korean stems in korean.py), normalised once for both."""
    return unicodedata.normalize("NFKC", text).lower().split()


def cjk_field_of_chunks(chunks: list[str]) -> str:
    """`cjk_field` of a text given as its `text_chunks`."""
    return " ".join(filter(None, map(_chunk_field, chunks)))


class ChunkFields:
    """The pre-analysed fields of texts, through a cache of their raw whitespace chunks: chunk → its form in
    each field, each distinct chunk analysed once. Chunks repeat (a crawl's vocabulary is small next to its
    pages), so at a million pages a text's fields cost one split and one dict look-up a chunk, in C.
    `analyse` takes the new chunks of a text together (one batch) and returns a tuple of `width` forms for
    each. Past `size` chunks a new generation starts, the last one kept beside it (at most 2 x `size`
    chunks): a chunk seen in both is not analysed again. Thread-safe (new chunks are learnt under a lock).

    Splitting first and normalising each chunk alone gives the fields of the whole normalised text: NFKC and
    lowercasing turn no whitespace into non-whitespace and never join characters across it."""

    def __init__(self, analyse: Callable[[list[str]], list[tuple[str, ...]]], width: int, size: int = 200_000) -> None:
        self._analyse = analyse
        self._columns = [itemgetter(n) for n in range(width)]
        self._size = size
        self._known: dict[str, tuple[str, ...]] = {}
        self._old: dict[str, tuple[str, ...]] = {}  # the previous generation (below)
        self._lock = threading.Lock()

    def fields(self, text: str) -> list[str]:
        """Each field's forms of the text's chunks, space separated, the empty ones left out."""
        chunks = text.split()
        known = self._known
        try:  # most texts have no new chunk: then one pass of look-ups
            forms = list(map(known.__getitem__, chunks))
        except KeyError:
            forms = self._learn(chunks)
        return [" ".join(filter(None, map(column, forms))) for column in self._columns]

    def _learn(self, chunks: list[str]) -> list[tuple[str, ...]]:
        with self._lock:
            known, old = self._known, self._old
            missing = set(chunks).difference(known)
            forms = {chunk: old[chunk] for chunk in missing if chunk in old}
            if new := sorted(missing.difference(forms)):
                forms.update(zip(new, self._analyse(new), strict=True))
            if len(known) + len(forms) <= self._size:
                known.update(forms)
                return list(map(known.__getitem__, chunks))
            # A new generation: the last one's chunks come back at their next sight without analysis, so the
            # crawl's common vocabulary survives (emptying the cache re-analysed all of it).
            self._old, self._known = known, forms
            return [forms[chunk] if chunk in forms else known[chunk] for chunk in chunks]


def _chunk_field(chunk: str) -> str:
    """The tokens of one whitespace-separated chunk."""
    tokens: list[str] = []
    for word in _TOKEN_RE.findall(chunk):
        if len(word) > 1 and _CJK_RUN_RE.match(word):
            tokens.extend([word[i : i + 2] for i in range(len(word) - 1)])
        else:
            tokens.append(word)
    return " ".join(tokens)


def parse_query(query: str) -> list[list[Term]]:
    """The query as OR-groups of AND-ed terms. Empty (match everything) when it has no words."""
    groups: list[list[Term]] = [[]]
    negate_next = False
    for match in _QUERY_RE.finditer(unicodedata.normalize("NFKC", query)):
        minus, phrase, bare = match.groups()
        if bare in ("AND", "&&"):
            continue
        if bare in ("OR", "||"):
            groups.append([])
            continue
        if bare == "NOT":
            negate_next = True
            continue
        negated = negate_next or bool(minus) or (bare is not None and bare.startswith("-"))
        negate_next = False
        groups[-1].extend(_terms(phrase if bare is None else bare, negated))
    return [g[:MAX_QUERY_TERMS] for g in groups if g]


def _terms(text: str, negated: bool) -> list[Term]:
    """A phrase split into runs of one script: "ice 아이스" → "ice", "아이스" (each a Term)."""
    terms: list[Term] = []
    for word in _TOKEN_RE.findall(text):
        cjk = bool(_CJK_RUN_RE.match(word))
        if terms and terms[-1].cjk == cjk:
            terms[-1] = Term((*terms[-1].words, word), cjk, negated)
        else:
            terms.append(Term((word,), cjk, negated))
    return terms


def query_words(query: str) -> list[str]:
    """The plain words of a user query (operators, exclusions and field prefixes dropped)."""
    return [w for group in parse_query(query) for t in group if not t.negated for w in t.words]


def make_snippet(text: str, query: str, width: int = SNIPPET_CHARS) -> str:
    """A window of `text` around the first query word found in it (case-insensitive)."""
    lowered = text.lower()
    positions = [p for w in query_words(query) if (p := lowered.find(w.lower())) >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    snippet = text[start : start + width].replace("\n", " ")
    return ("…" if start else "") + snippet + ("…" if start + width < len(text) else "")


def match_spans(snippet: str, query: str) -> tuple[tuple[int, int], ...]:
    """Where the query's words are in `snippet`, as (start, end) character offsets: a Korean word anywhere (it
    may carry a particle), an English word at a word start, with any ending (escrow → escrows). Offsets, not
    markup: the snippet is crawled text, and only its reader may add markup, after escaping it."""
    words = sorted({w.lower() for w in query_words(query)}, key=len, reverse=True)
    if not words:
        return ()
    parts = [re.escape(w) if _CJK_RUN_RE.match(w) else rf"(?<!\w){re.escape(w)}\w*" for w in words]
    return tuple(m.span() for m in re.finditer("|".join(parts), snippet, flags=re.IGNORECASE) if m.end() > m.start())


def split_matches(text: str, spans: Iterable[Sequence[int]]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_match) segments at `spans`; spans out of range or overlapping are ignored."""
    segments: list[tuple[str, bool]] = []
    last = 0
    for start, end in sorted((int(s), int(e)) for s, e in spans):
        if start < last or end > len(text) or start >= end:
            continue
        if start > last:
            segments.append((text[last:start], False))
        segments.append((text[start:end], True))
        last = end
    if last < len(text):
        segments.append((text[last:], False))
    return segments
