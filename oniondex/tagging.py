"""Drug-trade tags for a page's text from the term list in `oniondex/data/drug_terms.tsv`.

The terms are short everyday words (아이스 is also ice cream, 사탕 is candy), so a term tags a page only
together with signs of a sale. An "explicit" drug name needs one sale cue anywhere on the page. An
"ambiguous" term needs, within `CUE_WINDOW` characters, a *trade signal* (a messenger named as the way
to buy, a handle or t.me link, a quantity such as 1g / 10정 / 250mg) and a *sale cue* (a sale word, a
price, a contact) at another place: a candy shop with prices and 문의 is not an MDMA ad, a recipe with
grams is not a meth ad. Phrases listed as `not_drug` (아이스 아메리카노) neutralise the terms inside them.
Set `ONIONDEX_TERMS_FILE` to use another list.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

TERMS_ENV = "ONIONDEX_TERMS_FILE"
DEFAULT_TERMS_FILE = Path(__file__).parent / "data" / "drug_terms.tsv"
CUE_WINDOW = 200
MAX_TEXT_CHARS = 1_000_000
SALE_CUE, CONTACT_CUE, NOT_DRUG = "sale_cue", "contact_cue", "not_drug"
_CUES = (SALE_CUE, CONTACT_CUE, NOT_DRUG)
_MATCH_MODES = ("word", "prefix", "substring")
_STRENGTHS = ("explicit", "ambiguous", "-")
_LETTER = r"A-Za-z\uac00-\ud7a3\u0400-\u04ff"
# Prices (digits with a currency) are sale cues whatever the language; handles are cues and signals.
_PRICE_RE = re.compile(r"[$€₩₿ɱ₽]\s?\d|\d[\d,. ]{0,12}\s?(?:원|만원|usd|eur|btc|xmr|руб|₽|€|\$)", re.IGNORECASE)
_HANDLE_RE = re.compile(r"t\.me/|(?<![\w.])@[A-Za-z]\w{4,31}")
_QUANTITY_RE = re.compile(
    r"\d(?:[.,]\d{1,3})?\s?(?:g|mg|ug|µg|ml|gram|grams|그램|정|알|장|tabs?|pills?|г)(?![A-Za-z가-힣])"
)


class TermListError(ValueError):
    """A malformed term list; the message names the file and line."""


@dataclass(frozen=True)
class Term:
    text: str
    category: str
    match: str
    strength: str


@dataclass(frozen=True)
class TermList:
    terms: tuple[Term, ...]

    @functools.cached_property
    def patterns(self) -> dict[str, re.Pattern[str]]:
        """One alternation per category group: drug terms, sale cues, not-drug phrases."""
        groups = {"drug": [t for t in self.terms if t.category not in _CUES]}
        groups.update({cue: [t for t in self.terms if t.category == cue] for cue in _CUES})
        return {name: _alternation(terms) for name, terms in groups.items()}

    @functools.cached_property
    def by_text(self) -> dict[str, Term]:
        return {t.text.lower(): t for t in self.terms if t.category not in _CUES}


def _alternation(terms: list[Term]) -> re.Pattern[str]:
    """One pattern for lowercased text. Word and prefix terms share one leading lookbehind, so positions
    inside a word fail at once; a first-character class does the same for the other positions."""
    bounded = [t for t in terms if t.match in ("word", "prefix")]
    anywhere = [t for t in terms if t.match == "substring"]
    groups = [f"(?<![{_LETTER}])" + _branches(bounded) if bounded else "", _branches(anywhere) if anywhere else ""]
    return re.compile("|".join(g for g in groups if g) or r"(?!x)x")


def _branches(terms: list[Term]) -> str:
    first = "".join(sorted({re.escape(t.text.lower()[0]) for t in terms}))
    parts = [
        re.escape(t.text.lower()) + (f"(?![{_LETTER}])" if t.match == "word" else "")
        for t in sorted(terms, key=lambda t: -len(t.text))
    ]
    return f"(?=[{first}])(?:{'|'.join(parts)})"


def load_terms(path: Path) -> TermList:
    terms = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 4 or fields[2] not in _MATCH_MODES or fields[3] not in _STRENGTHS:
            raise TermListError(
                f"{path}:{number}: expected term, category, match ({'/'.join(_MATCH_MODES)}), "
                f"strength ({'/'.join(_STRENGTHS)}) separated by tabs, got {line!r}"
            )
        terms.append(Term(fields[0].strip(), fields[1].strip(), fields[2], fields[3]))
    return TermList(tuple(terms))


@functools.cache
def _cached_terms(path: str, mtime: float) -> TermList:
    return load_terms(Path(path))


def current_terms() -> TermList:
    path = Path(os.environ.get(TERMS_ENV) or DEFAULT_TERMS_FILE)
    return _cached_terms(str(path), path.stat().st_mtime)


def tag_text(text: str, terms: TermList | None = None) -> list[str]:
    """Sorted drug-trade tags (drug categories and dead_drop) the text earns under the co-occurrence rule."""
    terms = terms or current_terms()
    text = text[:MAX_TEXT_CHARS].lower()  # positions are only compared within this one string
    contacts = _starts(terms.patterns[CONTACT_CUE], text) + _starts(_HANDLE_RE, text)
    signals = sorted(contacts + _starts(_QUANTITY_RE, text))
    cues = sorted(contacts + _starts(terms.patterns[SALE_CUE], text) + _starts(_PRICE_RE, text))
    if not cues and not signals:
        return []
    innocent = [(m.start(), m.end()) for m in terms.patterns[NOT_DRUG].finditer(text)]
    tags = set()
    for match in terms.patterns["drug"].finditer(text):
        term = terms.by_text.get(match.group())
        if term is None or term.category in tags or _inside(match.start(), innocent):
            continue
        if term.strength == "explicit" or _traded_near(signals, cues, match.start(), match.end()):
            tags.add(term.category)
    return sorted(tags)


def _starts(pattern: re.Pattern[str], text: str) -> list[int]:
    return [m.start() for m in pattern.finditer(text)]


def _traded_near(signals: list[int], cues: list[int], start: int, end: int) -> bool:
    """A trade signal and a sale cue at another place, both within CUE_WINDOW of the term."""
    near_cues = _near(cues, start, end)
    return any(cue != signal for signal in _near(signals, start, end) for cue in near_cues)


def _near(positions: list[int], start: int, end: int) -> list[int]:
    """Positions within CUE_WINDOW of the term, not inside the term itself."""
    low = bisect.bisect_left(positions, start - CUE_WINDOW)
    high = bisect.bisect_right(positions, end + CUE_WINDOW)
    return [p for p in positions[low:high] if not start <= p < end][:16]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    index = bisect.bisect_right(spans, (position, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]
