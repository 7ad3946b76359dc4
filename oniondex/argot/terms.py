"""The drug-trade term list (`oniondex/data/drug_terms.tsv`, or `ONIONDEX_TERMS_FILE`): loading, checking
and one compiled pattern per kind of term. The file's header says what each column means."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from oniondex.argot.scan import TermScanner

TERMS_ENV = "ONIONDEX_TERMS_FILE"
DEFAULT_TERMS_FILE = Path(__file__).resolve().parents[1] / "data" / "drug_terms.tsv"
SALE_CUE, CONTACT_CUE, TRADE_CUE, NEWS_CUE, NOT_DRUG = "sale_cue", "contact_cue", "trade_cue", "news_cue", "not_drug"
CONTACT_OTHER = "contact_other"  # ordinary ways to reach a seller (KakaoTalk, DM, phone): weaker than Telegram
NEGATIVE_PREFIX = "negative_"  # negative_game, negative_pet…: contexts where the same words are innocent
DEAD_DROP = "dead_drop"
REGION_CUE = "region_cue"  # a city or district (강남, 부산): where a dead drop is laid
# The context signal each kind of cue gives the classifier (a negative_… cue gives its own category).
CUE_SIGNAL = {
    SALE_CUE: "sale",
    CONTACT_CUE: "messenger",
    TRADE_CUE: "trade",
    NEWS_CUE: "news",
    CONTACT_OTHER: "contact",
    REGION_CUE: "region",
}
CUES = (SALE_CUE, CONTACT_CUE, CONTACT_OTHER, TRADE_CUE, NEWS_CUE, NOT_DRUG, REGION_CUE)
MATCH_MODES = ("word", "prefix", "substring")
STRENGTHS = ("explicit", "slang", "ambiguous", "-")
FORMS = ("plain", "emoji", "translit")


class TermListError(ValueError):
    """A malformed term list; the message names the file and line."""


@dataclass(frozen=True)
class Term:
    text: str  # lower-case, as normalised text is
    category: str  # a drug tag, dead_drop, or a cue kind (sale_cue, negative_game…)
    match: str
    strength: str
    source: str = ""
    form: str = "plain"  # emoji and translit are disguises in themselves

    @property
    def is_cue(self) -> bool:
        return self.category in CUES or self.category.startswith(NEGATIVE_PREFIX)


@dataclass(frozen=True)
class TermList:
    terms: tuple[Term, ...]

    @functools.cached_property
    def drug_terms(self) -> tuple[Term, ...]:
        """Terms that name a drug (or the dead-drop method): what a tag can come from."""
        return tuple(t for t in self.terms if not t.is_cue)

    @functools.cached_property
    def by_text(self) -> dict[str, Term]:
        return {t.text: t for t in self.drug_terms}

    @functools.cached_property
    def text_lengths(self) -> frozenset[int]:
        """How long the texts of `by_text` are, to skip words no term can be."""
        return frozenset(len(text) for text in self.by_text)

    @functools.cached_property
    def drug_scanner(self) -> TermScanner:
        """Drug and dead-drop terms in a text (`scan(text)`)."""
        return TermScanner(self.drug_terms)

    @functools.cached_property
    def cue_scanner(self) -> TermScanner:
        """Cues (not_drug phrases among them) in a text, scanned for only where a drug term is."""
        return TermScanner(tuple(t for t in self.terms if t.is_cue))

    @functools.cached_property
    def cue_by_text(self) -> dict[str, Term]:
        return {t.text: t for t in self.terms if t.is_cue}

    @functools.cached_property
    def cue_signal_kinds(self) -> dict[str, str]:
        """The context signal of each cue text that gives one (`CUE_SIGNAL`; not_drug phrases give none)."""
        return {
            text: CUE_SIGNAL.get(term.category, term.category)
            for text, term in self.cue_by_text.items()
            if term.category != NOT_DRUG
        }

    @functools.cached_property
    def page_wide_cues(self) -> frozenset[str]:
        """Cue texts the classifier reads anywhere on a page, not only near a drug term: news words (how many
        a page has) and ways to contact a seller (whether it has any)."""
        return frozenset(
            text for text, term in self.cue_by_text.items() if term.category in (NEWS_CUE, CONTACT_CUE, CONTACT_OTHER)
        )

    @functools.cached_property
    def dead_drop_texts(self) -> frozenset[str]:
        """The drug-scan texts that are dead-drop words (also context signals)."""
        return frozenset(text for text, term in self.by_text.items() if term.category == DEAD_DROP)

    @functools.cached_property
    def by_length(self) -> dict[int, tuple[Term, ...]]:
        """Plain Hangul/Latin drug terms by length, for masked spellings (아○○)."""
        lengths: dict[int, list[Term]] = {}
        for term in self.drug_terms:
            if term.form == "plain" and " " not in term.text:
                lengths.setdefault(len(term.text), []).append(term)
        return {length: tuple(terms) for length, terms in lengths.items()}

    @functools.cached_property
    def by_length_and_letter(self) -> dict[tuple[int, int, str], tuple[Term, ...]]:
        """`by_length` narrowed to the terms with a given letter at a given place: a masked word's known
        letter picks the few terms it can stand for."""
        found: dict[tuple[int, int, str], list[Term]] = {}
        for length, terms in self.by_length.items():
            for term in terms:
                for index, letter in enumerate(term.text):
                    found.setdefault((length, index, letter), []).append(term)
        return {key: tuple(terms) for key, terms in found.items()}

    @functools.cached_property
    def masked_lengths(self) -> tuple[int, ...]:
        """The lengths of `by_length` a masked word is tried against, longest first (one letter is no word)."""
        return tuple(sorted((length for length in self.by_length if length >= 2), reverse=True))

    @functools.cached_property
    def initials(self) -> dict[str, Term]:
        """Consonant-only spellings (ㅍㄹㅍ for 필로폰) of Korean terms of three syllables or more; shorter
        ones (ㅇㅇ, ㄷㅁ) are everyday chat."""
        found: dict[str, Term] = {}
        for term in self.drug_terms:
            if len(term.text) >= 3 and all("가" <= c <= "힣" for c in term.text):
                consonants = "".join(_INITIALS[(ord(c) - 0xAC00) // 588] for c in term.text)
                if "ㅋㅋ" not in consonants and "ㅎㅎ" not in consonants:
                    found.setdefault(consonants, term)
        return found


_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def load_terms(path: Path) -> TermList:
    from oniondex.argot.normalise import normalise

    terms = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        form = fields[5] if len(fields) > 5 and fields[5] else "plain"
        if len(fields) < 4 or fields[2] not in MATCH_MODES or fields[3] not in STRENGTHS or form not in FORMS:
            raise TermListError(
                f"{path}:{number}: expected term, category, match ({'/'.join(MATCH_MODES)}), strength "
                f"({'/'.join(STRENGTHS)}), source, [form ({'/'.join(FORMS)})] separated by tabs, got {line!r}"
            )
        # Terms are matched against normalised text, so they are normalised the same way.
        text = normalise(fields[0]).text
        terms.append(Term(text, fields[1], fields[2], fields[3], fields[4] if len(fields) > 4 else "", form))
    return TermList(tuple(terms))


@functools.cache
def _cached_terms(path: str, mtime_ns: int, size: int) -> TermList:
    return load_terms(Path(path))


def current_terms() -> TermList:
    """The term list as its file is now: one stat a call (every page), the file read again when it changed."""
    path = os.environ.get(TERMS_ENV) or _DEFAULT_TERMS_PATH
    stat = os.stat(path)
    return _cached_terms(path, stat.st_mtime_ns, stat.st_size)


_DEFAULT_TERMS_PATH = str(DEFAULT_TERMS_FILE)
