"""The compact LSH index finds exactly what datasketch's MinHashLSH finds at a threshold."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from datasketch import MinHashLSH

from oniondex.clusters.bands import BandIndex
from oniondex.clusters.shingles import NUM_PERM, minhash_of
from oniondex.clusters.store import THRESHOLD


def sketches(count: int, seed: int = 5) -> list[np.ndarray]:
    """Sketches of random word sets, half of them near copies of an earlier one (a few words changed)."""
    rng = np.random.default_rng(seed)
    made: list[np.ndarray] = []
    word_sets: list[set[bytes]] = []
    for n in range(count):
        if word_sets and n % 2:
            words = set(list(word_sets[rng.integers(len(word_sets))])[: int(rng.integers(20, 60))])
            words |= {f"new{n}-{i}".encode() for i in range(int(rng.integers(0, 30)))}
        else:
            words = {f"w{int(w)}".encode() for w in rng.integers(0, 300, size=60)}
        word_sets.append(words)
        made.append(minhash_of(np.array([zlib.crc32(word) for word in words], dtype=np.uint32)).hashvalues)
    return made


@pytest.mark.parametrize("threshold", [THRESHOLD, 0.3])  # 0.3: 21 bands of 3, an odd number of rows
def test_the_pages_found_are_datasketchs_candidates_of_other_sites_above_the_threshold(threshold):
    index, lsh, sites = BandIndex.for_threshold(threshold), MinHashLSH(threshold=threshold, num_perm=NUM_PERM), {}
    stored: dict[str, np.ndarray] = {}
    found_any = 0
    for n, values in enumerate(sketches(400)):
        url, site = f"u{n}", f"s{n % 37}"
        sketch = minhash_of(np.zeros(0, dtype=np.uint32))
        sketch.hashvalues = values
        expected = sorted(
            (other, sites[other], float(np.count_nonzero(stored[other] == values)) / NUM_PERM)
            for other in lsh.query(sketch)
            if sites[other] != site and np.count_nonzero(stored[other] == values) / NUM_PERM >= threshold
        )
        assert sorted(index.similar(site, values, threshold)) == expected
        found_any += bool(expected)
        index.add(url, site, values)
        lsh.insert(url, sketch)
        stored[url], sites[url] = values, site
    assert found_any > 50  # the near copies were found, so the comparison above compared something


def test_a_removed_page_is_not_found_and_its_row_is_reused():
    index = BandIndex.for_threshold(THRESHOLD)
    values = sketches(1)[0]
    index.add("a", "s1", values)
    index.add("b", "s2", values)
    assert [url for url, _, _ in index.similar("s3", values, THRESHOLD)] in (["a", "b"], ["b", "a"])
    index.remove("a")
    assert "a" not in index
    assert index.similar("s3", values, THRESHOLD) == [("b", "s2", 1.0)]
    index.add("c", "s4", values)
    assert sorted(url for url, _, _ in index.similar("s3", values, THRESHOLD)) == ["b", "c"]
    index.remove("b")
    index.remove("c")
    assert len(index) == 0
    assert index.similar("s3", values, THRESHOLD) == []


def test_the_index_grows_past_its_first_rows():
    index = BandIndex.for_threshold(THRESHOLD)
    values = sketches(1)[0]
    for n in range(2_500):
        index.add(f"u{n}", f"s{n}", values)
    assert len(index.similar("elsewhere", values, THRESHOLD)) == 2_500
