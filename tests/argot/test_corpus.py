"""The labelled ad corpus is well formed and the tagger meets the issue's targets on both parts."""

from __future__ import annotations

import pytest

from oniondex.quality.tags import SPLITS, TARGETS, load_corpus, measure_split

KINDS = ("ad", "innocent", "news")


def test_corpus_is_large_labelled_and_has_unique_ids() -> None:
    posts = [post for split in SPLITS for post in load_corpus(split)]
    assert len(posts) >= 200
    assert len({p.id for p in posts}) == len(posts)
    assert {p.kind for p in posts} == set(KINDS)
    assert {p.lang for p in posts} == {"ko", "en"}
    assert sum(p.kind == "ad" and p.disguised for p in posts) >= 40
    assert all(p.text.strip() for p in posts)


@pytest.mark.parametrize("split", SPLITS)
def test_targets_are_met(split: str) -> None:
    quality = measure_split(load_corpus(split))
    assert quality.ads["all"].f1 >= TARGETS["ad_f1"], quality.errors
    assert quality.ads["disguised"].recall >= TARGETS["disguised_ad_recall"], quality.errors
    assert quality.innocent_tagged() <= TARGETS["innocent_tagged_max"], quality.errors
