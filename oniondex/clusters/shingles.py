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
from functools import cache, partial
from itertools import chain
from operator import methodcaller

import numpy as np
from datasketch import MinHash

from oniondex.clusters.model import PageSketch
from oniondex.extraction import PageExtraction

NUM_PERM = 64  # Jaccard estimated to about +-0.06 (1/sqrt(64) / 2); 256 bytes a page
SCHEME = "affine32"  # datasketch 2's default, named: stored sketches must be read back under it
# What a stored sketch was made with (the hashing of shingles and SCHEME): the cluster store compares only
# sketches of one version. 2: shingle_hashes; 0, a store's mark before there was one: SHA-1 of each shingle's
# bytes (datasketch's default hash).
SKETCH_VERSION = 2
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
    pieces = f"{extraction.title}\n{extraction.text}".lower().split()
    # The words of each distinct piece between white space, found once: a page repeats its pieces, and no
    # word spans white space, so these are the words of the whole text. Most pieces are one plain word,
    # which is never masked (no digit, no joiner, shorter than 25).
    found = {
        piece: [piece] if piece.isalpha() and len(piece) < 25 else list(map(_masked, _WORD_RE.findall(piece)))
        for piece in dict.fromkeys(pieces)
    }
    return list(chain.from_iterable(map(found.__getitem__, pieces)))


def _masked(word: str) -> str:
    return _MASK if _IDENTIFIER_RE.search(word) else word


def shingle_hashes(tokens: list[str]) -> np.ndarray:
    """The distinct 32-bit hashes of the page's word 3-grams (of its one or two words, when it has fewer).

    A 3-gram's hash is made from its words' hashes, in numpy: a word is hashed once however often it occurs
    (a 40 KB page has about 5,000 3-grams but a few hundred distinct words), where hashing each 3-gram's
    bytes in Python was most of a sketch's cost. The MinHash mixes every value before permuting it, so a
    plain combination of the three word hashes is enough."""
    if not tokens:
        return np.zeros(0, dtype=np.uint32)
    hashed = np.fromiter(map(_word_hashes(dict.fromkeys(tokens)).__getitem__, tokens), np.uint64, len(tokens))
    if len(hashed) < SHINGLE_WORDS:
        hashed = np.concatenate([hashed, np.zeros(SHINGLE_WORDS - len(hashed), dtype=np.uint64)])
    grams = hashed[:-2] * _MIX[0] + hashed[1:-1] * _MIX[1] + hashed[2:]  # wraps modulo 2**64
    return np.unique((grams >> np.uint64(32)).astype(np.uint32))


_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))  # odd 64-bit constants (golden ratio, murmur)
_WORD_HASHES: dict[str, int] = {}  # word -> its hash, across the process's pages (a site repeats its template)
_WORD_HASHES_MAX = 1 << 17  # a few MB; emptied when full
_digest = methodcaller("digest")
_word_digest = partial(hashlib.blake2b, digest_size=8)


def _word_hashes(words: dict[str, None]) -> dict[str, int]:
    """A table holding each of these words' hash: its UTF-8 BLAKE2b-64, little-endian (stable across
    processes and releases, as stored sketches must be)."""
    if len(_WORD_HASHES) > _WORD_HASHES_MAX:
        _WORD_HASHES.clear()
    missing = [word for word in words if word not in _WORD_HASHES]
    if missing:
        digests = b"".join(map(_digest, map(_word_digest, map(str.encode, missing))))
        _WORD_HASHES.update(zip(missing, np.frombuffer(digests, dtype="<u8").tolist(), strict=True))
    return _WORD_HASHES


@cache
def _template() -> MinHash:
    # Permutations made once: datasketch draws them per MinHash otherwise, which costs more than a page.
    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=SCHEME)


def minhash_of(hashes: np.ndarray) -> MinHash:
    """The MinHash of these 32-bit hash values (`shingle_hashes`): what datasketch's `update_batch` makes of
    them, given as they are (tests/clusters), computed here in numpy: datasketch walks the values in Python."""
    template = _template()
    values = template.hashvalues
    if len(hashes):
        a, b = template.permutations
        values = np.minimum(values, (_fmix32(hashes.astype(np.uint32))[:, None] * a + b).min(axis=0))
    return MinHash(num_perm=NUM_PERM, seed=_SEED, hashvalues=values, permutations=template.permutations, scheme=SCHEME)


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which datasketch's affine32 scheme applies before its permutations."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def sketch_values(stored: bytes) -> np.ndarray:
    """A stored sketch's hash values (the bytes of `page_sketch`)."""
    return np.frombuffer(stored, dtype=_template().hashvalues.dtype)


def page_sketch(extraction: PageExtraction) -> PageSketch:
    """The page's MinHash and whether it has enough words to match another site's pages."""
    tokens = words(extraction)
    return PageSketch(
        minhash_of(shingle_hashes(tokens)).hashvalues.tobytes(), len(tokens) - tokens.count(_MASK) >= MIN_WORDS
    )
