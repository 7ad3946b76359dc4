"""Deciding "this page sells a drug" from context, with the evidence for every tag.

A small additive score per tag, explainable line by line (every weight below is one `Evidence`):

  term      explicit drug name 3, distinctive slang 2, everyday word 1; +1.5 if written in disguise
            (masked, split, jamo, leet, consonant-only, transliterated), +1.5 with a dose right after
            it (1g, 250mg, 5ml; +2 for a pill count: 10정, 20 tabs)
  context   within WINDOW characters of the term: a handle or secure messenger 2 (a phone, KakaoTalk, DM:
            1), a price 1, a sale word 1, a trade word (고순도, 인증샷, stealth, escrow, crypto) 1, a dead-drop
            word 1, a dose elsewhere 0.5; for a dead-drop word, a city or district (강남 던지기) 0.5
  negative  every context of everyday trade in the window (games, pets, sports, food and drink, maps,
            shops, health) -2

A tag needs SALE_THRESHOLD. An everyday word (아이스, 크리스탈, molly) also needs a sign that is specific to drugs,
not to any trade: a dose right after it, a disguise, a trade word, a dead-drop word or another drug term (a
dead-drop word: also the region the stash lies in, "지역명" in the sources), so a price and a handle alone
never make a game top-up a meth ad. A page with NEWS_CUES or more reporting words (검거, 기소, arrested,
sentenced) and no handle is a news report: it gets the `drug-news` topic, not sale tags. A dead-drop word
that counted for a drug's tag also gives the dead_drop tag.
"""

from __future__ import annotations

import bisect
import math
import operator
import re
from dataclasses import dataclass

from oniondex.argot.match import Hit, listed_hits, may_have_wildcards, wildcard_hits, without_innocent
from oniondex.argot.normalise import Normalised, normalise
from oniondex.argot.scan import Match
from oniondex.argot.terms import (
    DEAD_DROP,
    NEGATIVE_PREFIX,
    TermList,
    current_terms,
)

NEWS_TAG = "drug-news"
WINDOW = 200
SALE_THRESHOLD = 4.0
NEWS_CUES = 2
MAX_TEXT_CHARS = 1_000_000
TERM_WEIGHT = {"explicit": 3.0, "slang": 2.0, "ambiguous": 1.0}
DISGUISE_BONUS = 1.5
DOSE_BONUS = 1.5
PILL_DOSE_BONUS = 2.0  # a count of pills (10정, 20 tabs) after a word is rarely anything but drugs
_PILL_UNIT_RE = re.compile(r"(?:정|tabs?|pills?|caps?)$")
DOSE_GAP = 12  # characters between a term and the dose that belongs to it (아이스 1g, 캔디 10정)
UNIT_PRICE_GAP = 40  # … or between a term and the unit of its price ("OG Kush 41,40 € per 3.5 grams")
MODIFIER_GAP = 3  # an everyday word right beside another drug's name describes it ("Ketamine shards")
SIGNAL_WEIGHT = {
    "handle": 2.0,
    "messenger": 2.0,
    "contact": 1.0,
    "price": 1.0,
    "sale": 1.0,
    "trade": 1.0,
    "dead_drop": 1.0,
    "dose": 0.5,
    "region": 0.5,
}
NEGATIVE_WEIGHT = 2.0

# Each pattern opens with one literal or character class, looks behind only after it, so the regex engine
# skips in C to the few places a match can start (a look-behind first is tried at every position). A price's
# number is taken whole ({0,12}+, no backtracking into it): no currency unit starts with a digit, comma, dot
# or space, so a shorter number never met one where the whole one did not. (A dose's cannot: "18th" is 1, 8th.)
_HANDLE_RE = re.compile(
    r"t\.me/|@(?<![\w.]@)[a-z][\w.]{3,31}|"
    + "|".join(rf"{label}\s?[:：]\s?[a-z][\w.]{{3,}}" for label in "id 아이디 tg 텔 텔레 텔레그램 wickr 위커".split())
)
_CURRENCY_UNITS = r"원 만원 만 천원 usd eur euros? gbp btc xmr usdt руб ₽ € \$ £".split()
_DOSE_UNITS = (
    r"g gr gram grams 그램 mg ug µg mcg ml oz 정 알 장 회분 tabs? pills? caps? bars? zips? 8th eighths?".split()
)


def _units(units: list[str]) -> str:
    """An alternation of units behind a look-ahead for their first characters: a failing place is then
    one character-class test instead of a try of every unit (the alternation's matches are the same)."""
    first = {unit.removeprefix("\\")[0] for unit in units}
    return f"(?=[{re.escape(''.join(sorted(first)))}])(?:{'|'.join(units)})"


def _digit_or_astral() -> str:
    """A character class's content for a pattern's opening `\\d`: the decimal digits of the Basic Multilingual
    Plane as ranges, and every astral character (rare in text; the pattern's `(?<=\\d)` then decides). The
    regex engine tests such a class with one table look-up, `\\d` with a Unicode property look-up, which costs
    as much again as the scan for the opening character (the same matches: the class holds every digit)."""
    digits = {ord(c) for c in re.findall(r"\d", "".join(map(chr, range(0x10000))))}
    firsts = sorted(d for d in digits if d - 1 not in digits)
    lasts = sorted(d for d in digits if d + 1 not in digits)
    return "".join(f"{chr(a)}-{chr(b)}" for a, b in zip(firsts, lasts, strict=True)) + "\U00010000-\U0010ffff"


_DIGIT_OPENING = _digit_or_astral()


_PRICE_RE = re.compile(
    rf"[$€£₩₿ɱ₽{_DIGIT_OPENING}p](?:(?<=[$€£₩₿ɱ₽])\s?\d[\d,.]*"
    rf"|(?<=\d)(?<![a-z\d]\d)[\d,. ]{{0,12}}+\s?{_units(_CURRENCY_UNITS)}(?![a-z가-힣])"
    r"|(?<=p)(?<![a-z]p)er\s(?:\d[\d.,]*\s?)?(?:grams?|g|pills?|tabs?|oz|ml)(?![a-z])"
    r"|(?<=\d)\s?(?:만|천)(?=[\s,./)]|$))"
)
_DOSE_RE = re.compile(
    rf"[{_DIGIT_OPENING}반hf](?:(?<![\d.,a-z].)(?:(?<=\d)[\d.,]*|(?<=반)|(?<=h)alf|(?<=f)ull)\s?"
    rf"{_units(_DOSE_UNITS)}(?![a-z가-힣])|(?<=\d)\s?{_units(['tabs', 'pills', 'caps'])})"
)


@dataclass(frozen=True)
class Evidence:
    """One thing that counted for or against a tag: what it is, where (offsets into the original text),
    the original text there, and its weight in the score."""

    kind: str  # term, handle, contact, price, sale, trade, dead_drop, dose, negative_<domain>, news
    text: str
    start: int
    end: int
    weight: float
    note: str = ""  # the term a disguise or slang word stands for, or how it was written


@dataclass(frozen=True)
class TagDecision:
    tag: str
    score: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class TagResult:
    tags: tuple[str, ...]  # sorted; drug tags, dead_drop and the drug-news topic
    decisions: tuple[TagDecision, ...]  # one per tag given, with the evidence that fired

    def as_dict(self) -> list[dict[str, object]]:
        return [
            {"tag": d.tag, "score": round(d.score, 2), "evidence": [vars(e) for e in d.evidence]}
            for d in self.decisions
        ]


# A context signal: (kind, start, end) in the normalised text. A plain tuple: pages have hundreds, and
# a tuple is built in C (a NamedTuple's constructor is Python).
_Signal = tuple[str, int, int]
_TRADE_KINDS = frozenset(("handle", "messenger", "contact", "price", "dose"))


def classify(text: str, terms: TermList | None = None) -> TagResult:
    terms = terms or current_terms()
    original = text[:MAX_TEXT_CHARS]
    norm = normalise(original)
    found = terms.drug_scanner.scan(norm.text)
    hits = listed_hits(norm, terms, found)
    masked = None
    if not hits:
        masked = wildcard_hits(norm.text, terms) if may_have_wildcards(norm.text) else []
        if not masked:
            return TagResult((), ())  # most pages: no cue scanning needed
    if masked is None:
        masked = wildcard_hits(norm.text, terms)  # they count only in trade context (below)
    # Cues matter near a term (the window its score reads, which holds any not_drug phrase around it) and,
    # page-wide, those of the news and contact kinds.
    spans = [(hit.start - WINDOW, hit.end + WINDOW + 1) for hit in (*hits, *masked)]
    cues = terms.cue_scanner.scan_near(norm.text, spans, terms.page_wide_cues)
    signals = _signals(norm.text, terms, found, cues)
    if any(kind in _TRADE_KINDS for kind, _, _ in signals):
        hits += masked  # masks only count in trade context
    handles = [(start, end) for kind, start, end in signals if kind == "handle"]
    # A seller's handle (@iceking_kr) is evidence of contact, not a drug term of its own.
    hits = [h for h in without_innocent(hits, cues, terms) if not _inside(h.start, handles)]
    hits = _without_units(_without_decoration(hits), signals, norm.text)
    if not hits:
        return TagResult((), ())
    news = [(start, end) for kind, start, end in signals if kind == "news"]
    if len({norm.text[start:end] for start, end in news}) >= NEWS_CUES and not handles:
        evidence = [_evidence(norm, original, "term", h.start, h.end, 0.0, h.term.category) for h in hits[:5]]
        evidence += [_evidence(norm, original, "news", start, end, 0.0) for start, end in news[:5]]
        return TagResult((NEWS_TAG,), (TagDecision(NEWS_TAG, float(len(news)), tuple(evidence)),))
    starts = [start for _, start, _ in signals]
    by_category: dict[str, list[Hit]] = {}
    for hit in hits:
        by_category.setdefault(hit.term.category, []).append(hit)
    others = len(by_category) > 1  # another drug named on the page makes an everyday word specific
    decisions = [_decide(cat, by_category[cat], others, signals, starts, norm, original) for cat in sorted(by_category)]
    decisions = [d for d in decisions if d]
    decisions += _delivery(decisions)
    return TagResult(tuple(sorted(d.tag for d in decisions)), tuple(sorted(decisions, key=lambda d: d.tag)))


def _delivery(decisions: list[TagDecision]) -> list[TagDecision]:
    """A dead-drop word that counted for a drug sale tags the delivery method too."""
    if any(d.tag == DEAD_DROP for d in decisions):
        return []
    for decision in decisions:
        drops = tuple(e for e in decision.evidence if e.kind == "dead_drop")
        if drops:
            return [TagDecision(DEAD_DROP, decision.score, (*drops, *decision.evidence[:1]))]
    return []


def _without_decoration(hits: list[Hit]) -> list[Hit]:
    """Emoji stand in for a drug only where no word names one (❄️ beside "coke" decorates a cocaine ad), and
    an everyday word right beside another drug's name describes that drug ("Ketamine shards")."""
    worded = {h.term.category for h in hits if h.written != "emoji" and h.term.category != DEAD_DROP}
    # The categories of named drugs ending (starting) at each position, to look up a word's neighbours.
    ending: dict[int, set[str]] = {}
    starting: dict[int, set[str]] = {}
    for n in hits:
        if n.term.strength != "ambiguous" and n.term.category != DEAD_DROP:
            ending.setdefault(n.end, set()).add(n.term.category)
            starting.setdefault(n.start, set()).add(n.term.category)
    gaps = range(MODIFIER_GAP + 1)
    kept = []
    for hit in hits:
        if hit.written == "emoji" and worded and hit.term.category not in worded:
            continue
        if hit.term.strength == "ambiguous" and hit.written == "plain" and ending:
            own = hit.term.category
            beside = [ending.get(hit.start - gap) for gap in gaps] + [starting.get(hit.end + gap) for gap in gaps]
            if any(categories and (len(categories) > 1 or own not in categories) for categories in beside):
                continue  # another category named right beside it
        kept.append(hit)
    return kept


def _without_units(hits: list[Hit], signals: list[_Signal], text: str) -> list[Hit]:
    """An everyday word that is the unit of a dose belonging to another drug's word counts that drug's
    pills ("MDMA pills 10 tabs", "XTC 20 tabs": tabs is not LSD there)."""
    doses = [s for s in signals if s[0] == "dose"]
    named = [h for h in hits if h.term.category != DEAD_DROP]
    if not doses or not named:
        return hits
    starts = [dose[1] for dose in doses]  # one pattern's matches: apart, so one dose at most holds a place

    def counts_pills(hit: Hit) -> bool:
        index = bisect.bisect_right(starts, hit.start) - 1
        if index < 0 or doses[index][2] <= hit.start:
            return False  # in no dose
        return any(n.term.category != hit.term.category and _belongs(text, n, doses[index]) for n in named)

    return [hit for hit in hits if hit.term.strength != "ambiguous" or hit.written != "plain" or not counts_pills(hit)]


_Found = tuple[str, int, int, float, "Hit | str"]  # kind, start, end, weight, note (the term's hit)


def _decide(
    category: str,
    hits: list[Hit],
    others: bool,
    signals: list[_Signal],
    starts: list[int],
    norm: Normalised,
    original: str,
) -> TagDecision | None:
    """The best-scoring of this category's hits and its context, if it reaches the threshold (`others`: the
    page names another category too). Each hit's evidence is kept as (kind, start, end, weight, note) until
    one wins: most pages have many hits."""
    best: tuple[float, list[_Found]] | None = None
    for hit in hits:
        score = TERM_WEIGHT[hit.term.strength]  # the sum of the weights in `found`, in their order
        found: list[_Found] = [("term", hit.start, hit.end, score, hit)]
        specific = hit.term.strength != "ambiguous" or others
        if hit.written != "plain" and hit.written != "emoji":
            found.append(("disguise", hit.start, hit.end, DISGUISE_BONUS, hit.written))
            score += DISGUISE_BONUS
            specific = True
        low = bisect.bisect_left(starts, hit.start - WINDOW)
        high = bisect.bisect_right(starts, hit.end + WINDOW)
        # A signal overlapping the term is the term's own text ("10 tabs" for the term "tabs"), not a sign.
        near = [s for s in signals[low:high] if not (s[1] < hit.end and hit.start < s[2])]
        dose = None
        for signal in near:
            if signal[0] == "dose" and _belongs(norm.text, hit, signal):
                dose = signal
                break
        if dose is not None:
            bonus = PILL_DOSE_BONUS if _PILL_UNIT_RE.search(norm.text, dose[1], dose[2]) else DOSE_BONUS
            found.append(("dose", dose[1], dose[2], bonus, "right after the term"))
            score += bonus
            specific = True
        seen: set[str] = set()
        for signal in near:
            kind, start, end = signal
            if kind in seen or kind == "news" or signal is dose:
                continue
            if kind == "region" and category != DEAD_DROP:
                continue  # a place says where a stash lies, not which drug is in it
            if kind == "dead_drop" and category == DEAD_DROP and start == hit.start:
                continue
            if kind in ("contact", "messenger", "handle") and ("handle" in seen or "messenger" in seen):
                continue  # one way to reach the seller is enough
            seen.add(kind)
            weight = -NEGATIVE_WEIGHT if kind.startswith(NEGATIVE_PREFIX) else SIGNAL_WEIGHT[kind]
            found.append((kind, start, end, weight, ""))
            score += weight
            specific = specific or kind in ("trade", "dead_drop", "region")
        if specific and score >= SALE_THRESHOLD and (best is None or score > best[0]):
            best = (score, found)
    if best is None:
        return None
    evidence = tuple(
        _evidence(norm, original, kind, start, end, weight, _note(note) if isinstance(note, Hit) else note)
        for kind, start, end, weight, note in best[1]
    )
    return TagDecision(category, best[0], evidence)


def _belongs(text: str, hit: Hit, dose: _Signal) -> bool:
    """Is the dose the term's own: right after it (아이스 1g), or the unit of its price (€41 per 3.5 grams)?"""
    gap = dose[1] - hit.end
    return 0 <= gap <= DOSE_GAP or (gap <= UNIT_PRICE_GAP and text.endswith(("per ", "/"), 0, dose[1]))


def _note(hit: Hit) -> str:
    return f"{hit.term.text} → {hit.term.category} ({hit.term.strength}, {hit.term.source})"


def _signals(text: str, terms: TermList, drugs: tuple[Match, ...], cues: tuple[Match, ...]) -> list[_Signal]:
    """Every context signal in the text, sorted by position. Drug terms also count as dead-drop signals when
    they are dead-drop words."""
    found: list[_Signal] = [("handle", *m.span()) for m in _HANDLE_RE.finditer(text)]
    found += [("price", *m.span()) for m in _PRICE_RE.finditer(text)]
    found += [("dose", *m.span()) for m in _DOSE_RE.finditer(text)]
    kinds = terms.cue_signal_kinds
    found += [(kinds[m.text], m.start, m.end) for m in cues if m.text in kinds]
    dead_drops = terms.dead_drop_texts
    found += [("dead_drop", m.start, m.end) for m in drugs if m.text in dead_drops]
    return sorted(found, key=_START)


_START = operator.itemgetter(1)


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Is `position` inside one of `spans` (sorted, not overlapping)?"""
    index = bisect.bisect_right(spans, (position, math.inf)) - 1
    return index >= 0 and position < spans[index][1]


def _evidence(
    norm: Normalised, original: str, kind: str, start: int, end: int, weight: float, note: str = ""
) -> Evidence:
    first, last = norm.original_span(start, end)
    return Evidence(kind, original[first:last], first, last, weight, note)
