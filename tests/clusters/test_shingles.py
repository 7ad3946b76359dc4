"""The page sketch: its words are the regex's words of the whole text, its 3-gram hashes one per distinct
3-gram and stable across releases, and its MinHash what datasketch makes of those hashes."""

from __future__ import annotations

import random

import numpy as np
import pytest
from datasketch import MinHash

from oniondex.clusters import shingles as sh
from oniondex.extraction import PageExtraction

TEXTS = [
    "",
    "one",
    "Order now. Ships from NL, 5g for $40; contact @dealer_nl or mail me@x.org (12:30) — 2024-05-01",
    "아이스 던지기 합니다 ❄️ 문의 @handle 주세요... a..b a_b -dash- end.",
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq http://abc.onion/x?y=1 O'Neil's 4/20",
]


@pytest.mark.parametrize("text", TEXTS)
def test_words_are_the_whole_texts_words_masked(text):
    """Read piece by piece between white space, the words are what the regex finds in the whole text."""
    found = sh._WORD_RE.findall(f"title\n{text}".lower())
    expected = [sh._MASK if sh._IDENTIFIER_RE.search(word) else word for word in found]
    assert sh.words(PageExtraction(title="Title", text=text)) == expected


def _trigrams(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)} if len(tokens) >= 3 else {tuple(tokens)}


def test_one_hash_for_each_distinct_trigram():
    rng = random.Random(3)
    vocabulary = "vendor escrow 아이스 ❄️ # ships price".split()
    for n in (1, 2, 3, 40, 400):
        tokens = [rng.choice(vocabulary) for _ in range(n)]
        hashes = sh.shingle_hashes(tokens)
        assert hashes.dtype == np.uint32
        assert len(hashes) == len(_trigrams(tokens))
    assert len(sh.shingle_hashes("a b c a b c".split())) == 3  # abc, bca, cab: a repeated 3-gram adds none
    assert len(sh.shingle_hashes([])) == 0
    assert not np.array_equal(sh.shingle_hashes("a b c".split()), sh.shingle_hashes("c b a".split()))


def test_hashes_are_stable_across_releases():
    """Stored sketches are compared with new ones: a change here must come with a new SKETCH_VERSION."""
    assert sh.SKETCH_VERSION == 2
    assert sh.shingle_hashes("buy ice now".split()).tolist() == [444_965_113]
    assert sh.shingle_hashes(["아이스"]).tolist() == [2_238_120_104]


def test_minhash_equals_datasketchs_of_the_same_values():
    rng = np.random.default_rng(3)
    for n in (0, 1, 7, 250, 4000):
        values = np.unique(rng.integers(0, 2**32, size=n, dtype=np.uint64).astype(np.uint32))
        expected = MinHash(num_perm=sh.NUM_PERM, seed=sh._SEED, scheme=sh.SCHEME, hashfunc=int)
        expected.update_batch(values.tolist())
        assert (sh.minhash_of(values).hashvalues == expected.hashvalues).all()


def test_the_word_table_is_emptied_when_full(monkeypatch):
    monkeypatch.setattr(sh, "_WORD_HASHES_MAX", 50)
    first = sh.shingle_hashes([f"w{i}" for i in range(80)])
    assert (sh.shingle_hashes([f"w{i}" for i in range(80)]) == first).all()  # emptied, the page's words made again
    assert len(sh._WORD_HASHES) == 80
