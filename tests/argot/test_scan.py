"""The term scanner finds what the regex alternation its docstring describes would find, and drug terms and
cues scanned apart are the matches a scan of both kinds finds for each."""

from __future__ import annotations

import random
import re

import pytest

from oniondex.argot.scan import TermScanner
from oniondex.argot.terms import Term

LETTER = "a-z\uac00-\ud7a3\u3131-\u3163\u0400-\u04ff"
TERMS = (
    Term("ice", "methamphetamine", "word", "ambiguous"),
    Term("ice cream", "negative_food", "word", "-"),
    Term("아이스", "methamphetamine", "word", "ambiguous"),
    Term("mdma", "mdma", "substring", "explicit"),
    Term("mdm", "mdma", "substring", "slang"),
    Term("md", "mdma", "word", "slang"),
    Term("ket", "ketamine", "prefix", "slang"),
    Term("ketamine", "ketamine", "word", "explicit"),
    Term("bars", "alprazolam", "word", "slang"),
    Term("팝니다", "sale_cue", "substring", "-"),
    Term("price", "sale_cue", "word", "-"),
    Term("ship", "trade_cue", "prefix", "-"),
    Term("shipping", "trade_cue", "word", "-"),
    Term("pin", "trade_cue", "substring", "-"),
    Term("pinned", "trade_cue", "substring", "-"),
    Term("ice", "negative_game", "substring", "-"),  # the same text as a drug term, as a cue
)
TEXTS = [
    "ice ice cream price; 아이스1g 아이스크림 mdmaxx md5 xmd md",
    "ketamine ketamin ket2 bket shipping shipment ship2 ping pin spinning unpinned",
    "…V1BARS6e bars 2bars bars2 бars мdma 아이스ice iceд",
    "priceice pricey slice ice-cream icecream ketket 팝니다팝니다",
]


def alternation(terms: list[Term]) -> re.Pattern[str]:
    """The docstring's alternation: bounded terms, longest first, then substring terms, longest first."""

    def guard(char: str) -> str:  # what may not stand beside this edge character of a term
        return f"[{LETTER}0-9]" if re.match("[a-z0-9]", char) else f"[{LETTER}]"

    def bounded(term: Term) -> str:
        text = term.text
        after = f"(?!{guard(text[-1])})" if term.match == "word" else ""
        return f"(?<!{guard(text[0])}){re.escape(text)}{after}"

    def longest_first(chosen: list[Term]) -> list[Term]:
        return sorted(chosen, key=lambda t: -len(t.text))

    branches = [bounded(t) for t in longest_first([t for t in terms if t.match != "substring"])]
    branches += [re.escape(t.text) for t in longest_first([t for t in terms if t.match == "substring"])]
    return re.compile("|".join(branches))


def expected(terms: list[Term], text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in alternation(terms).finditer(text)]


def random_texts(count: int) -> list[str]:
    rng = random.Random(3)
    pieces = [t.text for t in TERMS] + ["a", "2", "д", "가", " ", " ", "-", "s", "x", "e"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(count)]


@pytest.mark.parametrize("is_cue", [False, True])
def test_scan_is_the_alternation_of_its_docstring(is_cue: bool) -> None:
    terms = [t for t in TERMS if t.is_cue == is_cue]
    # One term text may be listed twice (a prefix way accepts everything a word way does): keep the prefix.
    scanner = TermScanner(tuple(terms))
    for text in TEXTS + random_texts(2_000):
        assert [tuple(m) for m in scanner.scan(text)] == expected(terms, text), text


def test_a_cue_never_hides_a_drug_term_and_back() -> None:
    """ "ice" is both kinds here: the drug scan finds it inside "ice cream" (the cue scan's longer match)
    and a drug term never hides a cue either, so each kind can be scanned on its own, and cues only when
    needed."""
    drugs = TermScanner(tuple(t for t in TERMS if not t.is_cue))
    cues = TermScanner(tuple(t for t in TERMS if t.is_cue))
    text = "ice cream 팝니다 ketamine shipping"
    assert [m.text for m in drugs.scan(text)] == ["ice", "ketamine"]
    assert [m.text for m in cues.scan(text)] == ["ice cream", "팝니다", "shipping"]


def test_no_terms_and_no_text_find_nothing() -> None:
    assert TermScanner(()).scan("ice") == ()
    assert TermScanner(TERMS).scan("") == ()


def test_a_scan_near_places_gives_the_full_scans_matches_there() -> None:
    """Overlapping terms (ship/shipping, pin/pinned, ice/ice cream) make the leftmost pass depend on what
    came before a place: the near scan must still give exactly the full scan's matches in the spans and
    those of the page-wide terms, and nothing the full scan does not find."""
    scanner = TermScanner(TERMS)
    rng = random.Random(5)
    anywhere = frozenset({"팝니다", "pinned"})
    for text in TEXTS + random_texts(2_000):
        full = scanner.scan(text)
        spans = [(start, start + rng.randint(0, 12)) for start in rng.sample(range(len(text)), min(3, len(text)))]
        near = scanner.scan_near(text, spans, anywhere)
        assert set(near) <= set(full), text
        assert list(near) == sorted(near), text
        wanted = [m for m in full if m.text in anywhere or any(a <= m.start < b for a, b in spans)]
        assert set(wanted) <= set(near), text
    assert scanner.scan_near("", [(0, 5)], anywhere) == ()
    assert scanner.scan_near("ship pinned", [], anywhere) == (scanner.scan("ship pinned")[1],)
