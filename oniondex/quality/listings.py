"""Listing field accuracy and cross-site vendor links against the sample darknet's ground truth.

Every served page of every market is extracted from its bytes, once with the site profiles and once
with none (generic extraction). Predicted listings are paired with the page's truth listings by URL
(then title); a field is right when it equals the truth (prices within 1e-6 relative). Accuracy per
field = right / (truth listings + predicted listings with no truth partner), so a missed listing and
an invented one both count against every field.

Hold-out: the generic extractor was built against GENERIC_DEV_LAYOUTS only; GENERIC_HOLDOUT_LAYOUTS
are measured, never tuned against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from oniondex.listings.extract import default_profiles, listing_records
from oniondex.listings.records import EXTRA_FIELDS, SCORED_FIELDS
from oniondex.listings.text import squash
from oniondex.listings.vocabulary import category_from_url
from oniondex.page import Page

if TYPE_CHECKING:
    from collections.abc import Iterator

    from oniondex.listings.profiles import Profile
    from sample_darknet.model import PageSpec, Site
    from sample_darknet.world import World

GENERIC_DEV_LAYOUTS = ("table", "deflist", "korean")
GENERIC_HOLDOUT_LAYOUTS = ("cards", "rows", "bullets")
PROFILE_TARGET, GENERIC_TARGET = 0.95, 0.80
FIELDS = SCORED_FIELDS + EXTRA_FIELDS


@dataclass
class FieldScores:
    truth: int = 0
    extra: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    category_shown: int = 0  # listings whose page shows their category (their own page, a category page)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        total = self.category_shown if name == "category" else self.truth + self.extra
        return self.right[name] / total if total else 1.0

    def worst(self) -> float:
        return min(self.accuracy(name) for name in SCORED_FIELDS)

    def add(self, url: str, truth: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> None:
        self.truth += len(truth)
        left = list(predicted)
        for expected in truth:
            shows_category = expected["url"] == url or category_from_url(url) is not None
            self.category_shown += shows_category
            partner = _partner(expected, left)
            if partner is None:
                self.errors.append({"kind": "missed", "page": url, "title": expected["title"]})
                continue
            left.remove(partner)
            for name in FIELDS if shows_category else (*SCORED_FIELDS, "unit"):
                if _same(name, expected.get(name), partner.get(name)):
                    self.right[name] += 1
                else:
                    self.errors.append(
                        {"kind": name, "page": url, "want": expected.get(name), "got": partner.get(name)}
                    )
        self.extra += len(left)
        self.errors.extend({"kind": "invented", "page": url, "title": p["title"]} for p in left)

    def as_dict(self) -> dict[str, Any]:
        return {
            "listings": self.truth,
            "invented": self.extra,
            "accuracy": {name: round(self.accuracy(name), 4) for name in FIELDS},
        }


def _partner(expected: dict[str, Any], predicted: list[dict[str, Any]]) -> dict[str, Any] | None:
    same_url = [p for p in predicted if p["url"] == expected["url"]]
    titled = [p for p in same_url if squash(p["title"]) == squash(expected["title"])]
    return (titled or same_url or [None])[0]


def _same(name: str, want: Any, got: Any) -> bool:
    if name == "price":
        return want is not None and got is not None and abs(float(want) - float(got)) <= 1e-6 * max(1.0, abs(want))
    return squash(str(want or "")) == squash(str(got or ""))


def served_pages(site: Site) -> Iterator[tuple[PageSpec, Page]]:
    for path, spec in site.pages.items():
        if spec.status == 200 and spec.stream is None and not spec.media:
            yield spec, Page(site.base + path, spec.body, spec.content_type, spec.status)


def score_sites(sites: list[Site], profiles: list[Profile] | None) -> FieldScores:
    scores = FieldScores()
    for site in sites:
        for spec, page in served_pages(site):
            truth = [item.truth() for item in spec.listings]
            scores.add(page.url, truth, [x.as_dict() for x in listing_records(page, "1970-01-01T00:00:00Z", profiles)])
    return scores


def measure_listings(world: World) -> dict[str, FieldScores]:
    """Scores by run: with profiles (all markets), generic on dev and hold-out layouts, generic elsewhere."""
    markets = [s for s in world.sites.values() if s.layout]
    others = [s for s in world.sites.values() if not s.layout and s.served]
    return {
        "profiles": score_sites(markets, default_profiles()),
        "generic_dev": score_sites([s for s in markets if s.layout in GENERIC_DEV_LAYOUTS], []),
        "generic_holdout": score_sites([s for s in markets if s.layout in GENERIC_HOLDOUT_LAYOUTS], []),
        "generic_other_sites": score_sites(others, []),
    }
