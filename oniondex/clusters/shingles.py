"""A page's template fingerprint: word 3-gram shingles of its visible text with identifiers masked, and
their MinHash.

Identifiers (addresses, PGP armour, fingerprints, handles, e-mails, onion names, timestamps) are masked
before shingling, so a clone that swaps them, or a mirror that prints its own onion name, keeps the same
shingles as its original: similarity measures the template and the texts, and the identifiers are
compared separately (clones.py).
"""

from __future__ import annotations

import re
from functools import cache

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
    return [masked[token] for token in tokens]


def shingles(tokens: list[str]) -> set[bytes]:
    if len(tokens) < SHINGLE_WORDS:
        return {" ".join(tokens).encode()} if tokens else set()
    grams = zip(*(tokens[i:] for i in range(SHINGLE_WORDS)), strict=False)  # the shorter tails end it
    return {" ".join(gram).encode() for gram in grams}


@cache
def _template() -> MinHash:
    # Permutations made once: datasketch draws them per MinHash otherwise, which costs more than a page.
    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=SCHEME)


def minhash_of(items: set[bytes]) -> MinHash:
    sketch = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_template().permutations, scheme=SCHEME)
    if items:
        sketch.update_batch(list(items))
    return sketch


def sketch_from(values: bytes) -> MinHash:
    """A stored sketch (its hash values as bytes) back as a MinHash."""
    template = _template()
    hashvalues = np.frombuffer(values, dtype=template.hashvalues.dtype)
    return MinHash(
        num_perm=NUM_PERM, seed=_SEED, hashvalues=hashvalues, permutations=template.permutations, scheme=SCHEME
    )


def page_sketch(extraction: PageExtraction) -> PageSketch:
    """The page's MinHash and whether it has enough words to match another site's pages."""
    tokens = words(extraction)
    return PageSketch(minhash_of(shingles(tokens)).hashvalues.tobytes(), sum(t != _MASK for t in tokens) >= MIN_WORDS)
