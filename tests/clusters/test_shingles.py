"""The page sketch's shingles and MinHash are what datasketch's own hashing would make (stored sketches of
earlier crawls stay comparable)."""

from __future__ import annotations

import random

import pytest
from datasketch import MinHash

from oniondex.clusters import shingles as sh


def _items(rng: random.Random, n: int) -> set[bytes]:
    alphabet = "abc xyz 아이스 ❄️ #".split()
    return {" ".join(rng.choice(alphabet) + str(rng.randrange(50)) for _ in range(3)).encode() for _ in range(n)}


def test_minhash_equals_datasketchs_default_hashing(monkeypatch):
    monkeypatch.setattr(sh, "_HASHES_MAX", 300)  # the cache fills and is emptied during the test
    rng = random.Random(3)
    for n in (0, 1, 7, 250, 400, 250):
        items = _items(rng, n)
        expected = MinHash(num_perm=sh.NUM_PERM, seed=sh._SEED, scheme=sh.SCHEME)
        expected.update_batch(list(items))
        assert (sh.minhash_of(items).hashvalues == expected.hashvalues).all()
    assert len(sh._HASHES) <= 300


@pytest.mark.parametrize("text", ["", "one", "one two", "a b c d", "아이스 던지기 합니다 ❄️ 문의 @handle 주세요"])
def test_shingles_are_the_word_trigrams_as_utf8(text):
    tokens = text.split()
    if len(tokens) < sh.SHINGLE_WORDS:
        expected = {" ".join(tokens).encode()} if tokens else set()
    else:
        expected = {" ".join(tokens[i : i + 3]).encode() for i in range(len(tokens) - 2)}
    assert sh.shingles(tokens) == expected
