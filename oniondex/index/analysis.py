"""Text analysis the backends share, so Korean and English queries match the same pages in both.

Korean has no spaces between a word and its particles (아이스를 = 아이스 + 를), so whole-word search
misses it. Like Elasticsearch's `cjk` analyzer we index overlapping bigrams of CJK runs: 아이스를 →
아이 이스 스를, and the query 아이스 → the phrase "아이 이스", which matches inside 아이스를.
"""

from __future__ import annotations

import re
import unicodedata

# Hangul syllables and jamo, CJK ideographs, kana: scripts written without spaces between words.
_CJK = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_TOKEN_RE = re.compile(rf"[{_CJK}]+|[^\W{_CJK}]+")
_CJK_RUN_RE = re.compile(rf"^[{_CJK}]+$")
SNIPPET_CHARS = 200


def cjk_tokens(text: str) -> list[str]:
    """Lowercased word tokens, with every CJK run split into bigrams (a lone character stays a unigram)."""
    tokens: list[str] = []
    for match in _TOKEN_RE.finditer(unicodedata.normalize("NFKC", text).lower()):
        word = match.group()
        if _CJK_RUN_RE.match(word) and len(word) > 1:
            tokens.extend(word[i : i + 2] for i in range(len(word) - 1))
        else:
            tokens.append(word)
    return tokens


def cjk_field(text: str) -> str:
    """The bigram form of a text, space separated, for a whitespace-tokenised field."""
    return " ".join(cjk_tokens(text))


def query_words(query: str) -> list[str]:
    """The plain words of a user query (operators and field prefixes dropped), for snippets."""
    words = re.findall(rf"[{_CJK}]+|[^\W{_CJK}]+", query)
    return [w for w in words if w not in ("AND", "OR", "NOT")]


def make_snippet(text: str, query: str, width: int = SNIPPET_CHARS) -> str:
    """A window of `text` around the first query word found in it (case-insensitive)."""
    lowered = text.lower()
    positions = [p for w in query_words(query) if (p := lowered.find(w.lower())) >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    snippet = text[start : start + width].replace("\n", " ")
    return ("…" if start else "") + snippet + ("…" if start + width < len(text) else "")
