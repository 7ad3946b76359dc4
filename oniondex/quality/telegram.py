"""Entities and drug-trade tags in Telegram posts against the sample Telegram's truth.

Every sample post is rendered in the t.me/s markup, parsed back (oniondex.telegram.preview) and run
through the same extraction the crawl's pipelines use; precision and recall per entity type and per tag.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from oniondex.extraction import extract_page
from oniondex.quality.entities import EntityQuality, TypeScore, _score_dict
from oniondex.telegram.history import post_page
from oniondex.telegram.preview import parse_preview
from oniondex.telegram.records import Post
from sample_telegram.markup import preview_page
from sample_telegram.model import SampleChannel, SamplePost
from sample_telegram.world import TelegramWorld


@dataclass
class TelegramQuality:
    entities: EntityQuality = field(default_factory=EntityQuality)
    tags: dict[str, TypeScore] = field(default_factory=dict)
    tag_errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def passes(self) -> bool:
        scores = [*self.entities.scores.values(), *self.tags.values()]
        return all(score.passes for score in scores)

    def add_tags(self, url: str, truth: set[str], predicted: set[str]) -> None:
        for tag in truth | predicted:
            score = self.tags.setdefault(tag, TypeScore())
            if tag in truth and tag in predicted:
                score.true_positives += 1
            elif tag in predicted:
                score.false_positives += 1
                self.tag_errors.append({"kind": "false_positive", "tag": tag, "url": url})
            else:
                score.false_negatives += 1
                self.tag_errors.append({"kind": "false_negative", "tag": tag, "url": url})

    def as_dict(self) -> dict[str, Any]:
        return {
            "posts": self.entities.pages,
            "passes": self.passes,
            "entities": {name: _score_dict(score) for name, score in sorted(self.entities.scores.items())},
            "tags": {name: _score_dict(score) for name, score in sorted(self.tags.items())},
        }


def parsed_posts(channel: SampleChannel) -> Iterator[tuple[SamplePost, Post]]:
    """Each sample post with what the parser reads back from its preview page."""
    by_id = {p.id: p for p in channel.posts}
    before = None
    while True:
        page = parse_preview(preview_page(channel, before), channel.username)
        yield from ((by_id[post.id], post) for post in page.posts if post.id in by_id)
        if page.before is None:
            return
        before = page.before


def measure(world: TelegramWorld) -> TelegramQuality:
    quality = TelegramQuality()
    for channel in world.channels.values():
        if not channel.has_preview:
            continue
        for sample, post in parsed_posts(channel):
            found = extract_page(post_page(post), "2026-01-01T00:00:00Z", with_listings=False)
            predicted = {(e.type, e.value) for e in found.entities}
            quality.entities.add_page(post.url, set(sample.entities), predicted)
            quality.add_tags(post.url, set(sample.tags), set(found.tags))
    return quality
