"""Entity precision and recall per type against the sample darknet's ground truth.

Each served page of the world is extracted from its bytes exactly as the crawler would see them; the
predicted (type, value) pairs of each page are compared with the page's truth entities. Types the truth
does not label (session, threema, …) are counted apart, not scored.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from oniondex.entities.extract import extract_entities
from oniondex.page import Page

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sample_darknet.model import PageSpec, Site
    from sample_darknet.world import World

SCORED_TYPES = ("BTC", "ETH", "XMR", "LTC", "BCH", "DOGE", "TRX", "ZEC", "DASH", "onion", "email", "pgp",
                "telegram", "phone")  # fmt: skip
PRECISION_TARGET, RECALL_TARGET = 0.99, 0.98


@dataclass
class TypeScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def passes(self) -> bool:
        return self.precision >= PRECISION_TARGET and self.recall >= RECALL_TARGET


@dataclass
class EntityQuality:
    pages: int = 0
    scores: dict[str, TypeScore] = field(default_factory=lambda: {t: TypeScore() for t in SCORED_TYPES})
    unscored: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, str]] = field(default_factory=list)  # each false positive and false negative

    @property
    def passes(self) -> bool:
        return all(score.passes for score in self.scores.values())

    def add_page(self, url: str, truth: set[tuple[str, str]], predicted: set[tuple[str, str]]) -> None:
        self.pages += 1
        for entity_type, value in predicted:
            if entity_type not in self.scores:
                self.unscored[entity_type] += 1
            elif (entity_type, value) in truth:
                self.scores[entity_type].true_positives += 1
            else:
                self.scores[entity_type].false_positives += 1
                self.errors.append({"kind": "false_positive", "type": entity_type, "value": value, "url": url})
        for entity_type, value in truth - predicted:
            self.scores.setdefault(entity_type, TypeScore()).false_negatives += 1
            self.errors.append({"kind": "false_negative", "type": entity_type, "value": value, "url": url})

    def as_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "passes": self.passes,
            "targets": {"precision": PRECISION_TARGET, "recall": RECALL_TARGET},
            "types": {name: _score_dict(score) for name, score in self.scores.items()},
            "unscored": dict(self.unscored),
        }


def _score_dict(score: TypeScore) -> dict[str, Any]:
    return {
        "tp": score.true_positives,
        "fp": score.false_positives,
        "fn": score.false_negatives,
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
    }


def world_pages(world: World) -> Iterator[tuple[Site, PageSpec, Page]]:
    """Every served page of the world as a `Page` with the bytes and content type the server sends."""
    for site in world.sites.values():
        if not site.served:
            continue
        for spec in site.pages.values():
            body = b"".join(spec.stream()) if spec.stream is not None else spec.body
            if body and not spec.media:
                yield site, spec, Page(site.base + spec.path, body, spec.content_type, spec.status)


def measure(world: World) -> EntityQuality:
    quality = EntityQuality()
    for _site, spec, page in world_pages(world):
        truth = {(e.type, e.value) for e in spec.entities}
        predicted = {(e.type, e.value) for e in extract_entities(page, "2025-01-01T00:00:00Z")}
        quality.add_page(page.url, truth, predicted)
    return quality
