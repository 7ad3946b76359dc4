"""A page's template fingerprint: word 3-gram shingles of its visible text with identifiers masked, and
their MinHash.

Identifiers (addresses, PGP armour, fingerprints, handles, e-mails, onion names, timestamps) are masked
before shingling, so a clone that swaps them, or a mirror that prints its own onion name, keeps the same
shingles as its original: similarity measures the template and the texts, and the identifiers are
compared separately (clones.py).
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from operator import methodcaller

import numpy as np
from datasketch import MinHash

from oniondex.clusters.model import PageSketch
from oniondex.extraction import PageExtraction

NUM_PERM = 64  # Jaccard estimated to about +-0.06 (1/sqrt(64) / 2); 256 bytes a page
SCHEME = "affine32"  # datasketch 2's default, named: stored sketches must be read back under it
SHINGLE_WORDS = 3
MIN_WORDS = 12  # shorter pages (a "Rules" stub, a 404) say too little to tie two sites together
_SEED = 1

_WORD_RE = re.compile(r"\w+(?:[@.:/+=_-]\w+)*", re.UNICODE)
# Handles, links, e-mails, onions, times (a "/", ":", "@", "." or "_" inside a word), numbers, addresses and
# armour lines (long words, words of 6+ characters with a digit).
_IDENTIFIER_RE = re.compile(r"[@/:._]|^(?=.*\d).{6,}$|^.{25,}$|^\d+$", re.UNICODE)
_MASK = "#"


def words(extraction: PageExtraction) -> list[str]:
    """The page's title and text as lowercase words, every identifier-looking word masked."""
    tokens = _WORD_RE.findall(f"{extraction.title}\n{extraction.text}".lower())
    # Each distinct word tested once: a page repeats its words, and the test is most of this function's time.
    masked = {token: _MASK if _IDENTIFIER_RE.search(token) else token for token in set(tokens)}
    return list(map(masked.__getitem__, tokens))


def shingles(tokens: list[str]) -> set[bytes]:
    """The page's word 3-grams, as UTF-8 bytes (what the MinHash hashes)."""
    if len(tokens) < SHINGLE_WORDS:
        return {" ".join(tokens).encode()} if tokens else set()
    encoded = {token: token.encode() for token in set(tokens)}
    as_bytes = list(map(encoded.__getitem__, tokens))
    # Each word encoded once and the grams joined by map(), in C: a 40 KB page has about 5,000 of them.
    return set(map(b" ".join, zip(*(as_bytes[i:] for i in range(SHINGLE_WORDS)), strict=False)))


@cache
def _template() -> MinHash:
    # Permutations made once: datasketch draws them per MinHash otherwise, which costs more than a page.
    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=SCHEME)


_HASHES: dict[bytes, int] = {}  # shingle -> its SHA-1 hash, across the process's pages (a site repeats its template)
_HASHES_MAX = 1 << 17  # about 17 MB; emptied when full
_digest = methodcaller("digest")
_SHA1_WORDS = 5  # a SHA-1 digest is 20 bytes: five 4-byte words, of which the first is the hash


def _hashes(items: list[bytes]) -> list[int]:
    """datasketch's default hash of each item (`sha1_hash32`: the SHA-1 digest's first 4 bytes, little-endian).

    Hashing item by item in Python was most of a sketch's cost: shingles already seen are looked up, the
    others are hashed by map() in C and their 4-byte prefixes read with one numpy view."""
    values = list(map(_HASHES.get, items))
    missing = [i for i, value in enumerate(values) if value is None]
    if missing:
        new = [items[i] for i in missing]
        digests = b"".join(map(_digest, map(hashlib.sha1, new)))
        hashed = np.frombuffer(digests, dtype="<u4")[::_SHA1_WORDS].tolist()
        if len(_HASHES) + len(new) > _HASHES_MAX:
            _HASHES.clear()
        _HASHES.update(zip(new, hashed, strict=True))
        for i, value in zip(missing, hashed, strict=True):
            values[i] = value
    return values


def minhash_of(items: set[bytes]) -> MinHash:
    """The items' MinHash, equal to datasketch's with its default hash function (tests/clusters)."""
    # The items are hashed here (`_hashes`); datasketch then only maps each value through `int`.
    sketch = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_template().permutations, scheme=SCHEME, hashfunc=int)
    if items:
        sketch.update_batch(_hashes(list(items)))
    return sketch


def sketch_values(stored: bytes) -> np.ndarray:
    """A stored sketch's hash values (the bytes of `page_sketch`)."""
    return np.frombuffer(stored, dtype=_template().hashvalues.dtype)


def page_sketch(extraction: PageExtraction) -> PageSketch:
    """The page's MinHash and whether it has enough words to match another site's pages."""
    tokens = words(extraction)
    return PageSketch(minhash_of(shingles(tokens)).hashvalues.tobytes(), len(tokens) - tokens.count(_MASK) >= MIN_WORDS)
