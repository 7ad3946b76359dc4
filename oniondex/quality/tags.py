"""Drug-trade tag quality on the project's labelled ad corpus (`tag_corpus/dev.yaml`, `heldout.yaml`) and
on the sample darknet's tag truth.

A post counts as *tagged as an ad* when it gets any sale tag (a drug tag or dead_drop); a news report is
right when it gets the `drug-news` topic and no sale tag. Per-tag scores compare the drug tags a reader
gave each post (news posts: `drug-news`) with the tags given; dead_drop is reported, not scored per tag,
since the corpus labels drugs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from oniondex.quality.counts import Counts
from oniondex.tagging import NEWS_TAG, tag_text

if TYPE_CHECKING:
    from sample_darknet.world import World

CORPUS_DIR = Path(__file__).parent / "tag_corpus"
SPLITS = ("dev", "heldout")
TARGETS = {"ad_f1": 0.95, "disguised_ad_recall": 0.90, "innocent_tagged_max": 0.02}
DEAD_DROP = "dead_drop"


@dataclass(frozen=True)
class Post:
    id: str
    lang: str
    kind: str  # ad, innocent, news
    disguised: bool
    drugs: tuple[str, ...]
    text: str


@dataclass
class SplitQuality:
    posts: int = 0
    ads: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))  # all, ko, en, disguised, plain
    innocent: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # lang: [tagged, n]
    news: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # lang: [right, n]
    per_tag: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    errors: list[dict[str, Any]] = field(default_factory=list)

    def innocent_tagged(self, lang: str = "all") -> float:
        tagged, total = self.innocent[lang]
        return tagged / total if total else 0.0

    @property
    def passes(self) -> bool:
        return (
            self.ads["all"].f1 >= TARGETS["ad_f1"]
            and self.ads["disguised"].recall >= TARGETS["disguised_ad_recall"]
            and self.innocent_tagged() <= TARGETS["innocent_tagged_max"]
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "posts": self.posts,
            "passes": self.passes,
            "ads": {name: counts.as_dict() for name, counts in sorted(self.ads.items())},
            "innocent_tagged": {
                lang: {"tagged": t, "of": n, "rate": round(t / n, 4) if n else 0.0}
                for lang, (t, n) in sorted(self.innocent.items())
            },
            "news_right": {lang: {"right": r, "of": n} for lang, (r, n) in sorted(self.news.items())},
            "per_tag": {tag: counts.as_dict() for tag, counts in sorted(self.per_tag.items())},
        }


def load_corpus(split: str, directory: Path = CORPUS_DIR) -> list[Post]:
    raw = yaml.safe_load((directory / f"{split}.yaml").read_text(encoding="utf-8"))
    return [Post(p["id"], p["lang"], p["kind"], bool(p["disguised"]), tuple(p["drugs"]), p["text"]) for p in raw]


def measure_split(posts: list[Post]) -> SplitQuality:
    quality = SplitQuality()
    for post in posts:
        quality.posts += 1
        tags = set(tag_text(post.text))
        sale = tags - {NEWS_TAG}
        groups = ("all", post.lang, "disguised" if post.disguised else "plain")
        if post.kind == "ad" or sale:
            for group in groups if post.kind == "ad" else ("all", post.lang):
                counts = quality.ads[group]
                if post.kind == "ad" and sale:
                    counts.tp += 1
                elif post.kind == "ad":
                    counts.fn += 1
                else:
                    counts.fp += 1
        if post.kind == "innocent":
            for lang in ("all", post.lang):
                quality.innocent[lang][0] += bool(tags)
                quality.innocent[lang][1] += 1
        if post.kind == "news":
            for lang in ("all", post.lang):
                quality.news[lang][0] += tags == {NEWS_TAG}
                quality.news[lang][1] += 1
        truth = {NEWS_TAG} if post.kind == "news" else set(post.drugs)
        given = tags - {DEAD_DROP}
        for tag in truth | given:
            counts = quality.per_tag[tag]
            if tag in truth and tag in given:
                counts.tp += 1
            elif tag in given:
                counts.fp += 1
            else:
                counts.fn += 1
        if given != truth or (post.kind == "ad" and not sale) or (post.kind == "innocent" and tags):
            quality.errors.append(
                {
                    "id": post.id,
                    "kind": post.kind,
                    "expected": sorted(truth),
                    "got": sorted(tags),
                    "text": post.text[:120],
                }
            )
    return quality


def measure_corpus(directory: Path = CORPUS_DIR) -> dict[str, SplitQuality]:
    return {split: measure_split(load_corpus(split, directory)) for split in SPLITS}


def measure_sample_darknet(world: World) -> Counts:
    """Drug tags of every served page against the world's truth (`drug_tags`); tags outside the truth's
    vocabulary (dead_drop, drug-news) are not scored."""
    from oniondex.quality.entities import world_pages
    from oniondex.tagging import page_tags

    counts = Counts()
    for _site, spec, page in world_pages(world):
        truth = set(spec.drug_tags)
        given = set(page_tags(page)) - {DEAD_DROP, NEWS_TAG}
        counts.tp += len(truth & given)
        counts.fp += len(given - truth)
        counts.fn += len(truth - given)
    return counts
