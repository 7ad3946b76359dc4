"""Extraction quality on saved real pages with hand-checked truth (`oniondex quality real`).

The corpus is a folder `pages/<market>/<file>` and a truth file `{"<market>/<file>": {listings, vendors,
entities, language}}` (the format of `../shared/real-pages/README.md`). Every page is extracted from its
bytes exactly as `oniondex extract PAGE` does, then scored:

- listings: titles normalised (NFKC, casefold, whitespace collapsed), paired one-to-one, exact matches
  first, then the best fuzzy pairs (ratio >= 0.85) greedily; each page's truth is a multiset;
- fields of paired listings: price by `Decimal`, currency exact, the others casefolded; a field is scored
  only where the truth is non-null, and a non-null prediction against a null truth is an error. A truth
  listing that was not found counts as wrong in every field it has, so field accuracy is at most recall;
- vendors and entities: set precision/recall/F1 on casefolded names and (type, value);
- language: accuracy.

Two runs. `generic`: no profile at all (leave-one-market-out: nothing in the project is built for any of
these markets). `learned`: per market, a profile learned (`oniondex.listings.induce`) from the first page
with listings, from its first truth listing's printed values (title, price, vendor, category, shipping),
scored on that market's other pages.
"""

from __future__ import annotations

import json
import time
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oniondex.extraction import extract_page
from oniondex.page import Page
from oniondex.quality.counts import Counts

if TYPE_CHECKING:
    from oniondex.listings.profiles import Profile

FIELDS = ("title", "price", "currency", "vendor", "category", "ships_from", "ships_to")
ENTITY_TYPES = frozenset({"onion", "BTC", "XMR", "email", "pgp"})
FUZZY = 0.85
FIELD_TARGET, VENDOR_TARGET, LEARNED_TARGET = 0.80, 0.85, 0.95


@dataclass
class Score:
    """One market's (or all markets') figures."""

    pages: int = 0
    listings: Counts = field(default_factory=Counts)
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    scored: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    vendors: Counts = field(default_factory=Counts)
    entities: Counts = field(default_factory=Counts)
    language_right: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float | None:
        return self.right[name] / self.scored[name] if self.scored[name] else None

    @property
    def field_accuracy(self) -> float | None:
        """Right field values over every scored field slot (micro average over fields)."""
        total = sum(self.scored.values())
        return sum(self.right.values()) / total if total else None

    def add(self, other: Score) -> None:
        self.pages += other.pages
        for name in ("listings", "vendors", "entities"):
            getattr(self, name).add(getattr(other, name))
        for name in FIELDS:
            self.right[name] += other.right[name]
            self.scored[name] += other.scored[name]
        self.language_right += other.language_right
        self.seconds += other.seconds

    def as_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "listings": self.listings.as_dict(),
            "fields": {n: _round(self.accuracy(n)) for n in FIELDS},
            "field_accuracy": _round(self.field_accuracy),
            "vendors": self.vendors.as_dict(),
            "entities": self.entities.as_dict(),
            "language": round(self.language_right / self.pages, 4) if self.pages else None,
            "ms_per_page": round(1000 * self.seconds / self.pages, 1) if self.pages else None,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def load_truth(path: Path) -> dict[str, dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected an object of page -> truth")
    return data


def predict(path: Path, profiles: list[Profile] | None) -> dict[str, Any]:
    """What `oniondex extract PATH` reports, reduced to the scored parts."""
    page = Page(path.resolve().as_uri(), path.read_bytes(), "text/html")
    found = extract_page(page, "1970-01-01T00:00:00Z", profiles)
    return {
        "language": found.language,
        "entities": [{"type": e.type, "value": e.value} for e in found.entities],
        "listings": [x.as_dict() for x in found.listings],
        "vendors": [v.name for v in found.vendors],
    }


def score_page(key: str, predicted: dict[str, Any], truth: dict[str, Any]) -> Score:
    score = Score(pages=1)
    pairs, missed, invented = pair_listings(truth.get("listings") or [], predicted["listings"])
    score.listings = Counts(len(pairs), invented, missed)
    for want, got in pairs:
        for name in FIELDS:
            expected, value = want.get(name), _value(got.get(name))
            if expected is None and value is None:
                continue
            score.scored[name] += 1
            if expected is not None and value is not None and _same(name, expected, value):
                score.right[name] += 1
            else:
                score.errors.append(f"{key}: {name} want {expected!r} got {value!r} ({want['title'][:40]})")
    unmatched = list(truth.get("listings") or [])
    for want, _ in pairs:
        unmatched.remove(want)
    for want in unmatched:
        for name in FIELDS:
            score.scored[name] += want.get(name) is not None
        score.errors.append(f"{key}: missed listing {want['title'][:60]!r}")
    want_vendors = {_fold(v) for v in truth.get("vendors") or []}
    score.vendors = _set_counts(want_vendors, {_fold(v) for v in predicted["vendors"]})
    want_entities = {(e["type"], _entity_value(e)) for e in truth.get("entities") or []}
    got_entities = {(e["type"], _entity_value(e)) for e in predicted["entities"] if e["type"] in ENTITY_TYPES}
    score.entities = _set_counts(want_entities, got_entities)
    score.language_right = int(predicted["language"] == truth.get("language"))
    extra_vendors = sorted({_fold(v) for v in predicted["vendors"]} - {_fold(v) for v in truth.get("vendors") or []})
    lost_vendors = sorted({_fold(v) for v in truth.get("vendors") or []} - {_fold(v) for v in predicted["vendors"]})
    if extra_vendors or lost_vendors:
        score.errors.append(f"{key}: vendors extra {extra_vendors[:5]} missed {lost_vendors[:5]}")
    return score


def pair_listings(
    truth: list[dict[str, Any]], predicted: list[dict[str, Any]]
) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], int, int]:
    """One-to-one pairs (exact titles first, then greedy fuzzy >= FUZZY), truth missed, predictions invented."""
    free_truth = list(range(len(truth)))
    free_pred = list(range(len(predicted)))
    want = [_norm_title(t["title"]) for t in truth]
    got = [_norm_title(p.get("title") or "") for p in predicted]
    pairs: list[tuple[int, int]] = []
    for i in list(free_truth):
        j = next((j for j in free_pred if got[j] == want[i]), None)
        if j is not None:
            pairs.append((i, j))
            free_truth.remove(i)
            free_pred.remove(j)
    candidates = sorted(
        ((SequenceMatcher(None, want[i], got[j]).ratio(), i, j) for i in free_truth for j in free_pred),
        reverse=True,
    )
    for ratio, i, j in candidates:
        if ratio < FUZZY:
            break
        if i in free_truth and j in free_pred:
            pairs.append((i, j))
            free_truth.remove(i)
            free_pred.remove(j)
    pairs.sort()
    return [(truth[i], predicted[j]) for i, j in pairs], len(free_truth), len(free_pred)


def _norm_title(title: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", title).casefold().split())


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _value(value: Any) -> Any:
    return None if value in ("", None) else value


def _same(name: str, want: Any, got: Any) -> bool:
    if name == "price":
        try:
            return Decimal(str(want)) == Decimal(str(got)).normalize() or Decimal(str(want)) == Decimal(str(got))
        except InvalidOperation:
            return False
    if name == "currency":
        return str(want) == str(got)
    return _fold(want) == _fold(got)


def _entity_value(entity: dict[str, Any]) -> str:
    value = str(entity["value"]).strip()
    if entity["type"] == "pgp":
        return value.upper()
    return value.lower() if entity["type"] in ("onion", "email") else value


def _set_counts(want: set[Any], got: set[Any]) -> Counts:
    return Counts(len(want & got), len(got - want), len(want - got))


@dataclass
class RealQuality:
    run: str
    markets: dict[str, Score]
    overall: Score
    notes: dict[str, str] = field(default_factory=dict)  # market -> how its profile was learned

    def as_dict(self) -> dict[str, Any]:
        return {"run": self.run, "overall": self.overall.as_dict(), "notes": self.notes,
                "markets": {m: s.as_dict() for m, s in self.markets.items()}}  # fmt: skip


def measure(pages_dir: Path, truth: dict[str, dict[str, Any]], run: str = "generic") -> RealQuality:
    """Score every page of the truth; `run` is "generic" or "learned" (see the module's docstring)."""
    by_market: dict[str, list[str]] = {}
    for key in truth:
        by_market.setdefault(key.split("/", 1)[0], []).append(key)
    markets: dict[str, Score] = {}
    notes: dict[str, str] = {}
    for market, keys in by_market.items():
        profiles: list[Profile] | None = []
        if run == "learned":
            learned = _learn_for(pages_dir, market, keys, truth)
            if learned is None:
                continue
            profiles, key, note = learned
            keys = [k for k in keys if k != key]
            notes[market] = note
        score = Score()
        for key in keys:
            started = time.perf_counter()
            predicted = predict(pages_dir / key, profiles)
            page_score = score_page(key, predicted, truth[key])
            page_score.seconds = time.perf_counter() - started
            score.add(page_score)
            score.errors.extend(page_score.errors)
        markets[market] = score
    overall = Score()
    for score in markets.values():
        overall.add(score)
    return RealQuality(run, markets, overall, notes)


def _learn_for(
    pages_dir: Path, market: str, keys: list[str], truth: dict[str, dict[str, Any]]
) -> tuple[list[Profile], str, str] | None:
    """A profile learned from the market's first page with listings (its first listing's values), or
    None when the market has fewer than two pages with listings (nothing left to score it on)."""
    from oniondex.listings.induce import InductionError, learn_profile

    with_listings = [k for k in keys if truth[k].get("listings")]
    if len(with_listings) < 2:
        return None
    key = with_listings[0]
    example = truth[key]["listings"][0]
    page = Page((pages_dir / key).resolve().as_uri(), (pages_dir / key).read_bytes(), "text/html")
    try:
        values = {k: v for k, v in example.items() if k in FIELDS and k != "currency" and v is not None}
        profile = learn_profile(page, market, **values)
    except InductionError as exc:
        return [], key, f"learning failed on {key}: {exc}"
    return [profile], key, f"learned from {key}"
