"""The cluster store's LSH index, kept compact: the band buckets of every stored sketch, in memory.

The same banding as datasketch's `MinHashLSH` at the store's threshold (14 bands of 4 hash values for
NUM_PERM 64; tests/clusters check the two agree), so a page's candidates are the pages that share a band
with it. datasketch keeps a set for every bucket and a list of byte keys for every page: about 5 KB and 15
objects the garbage collector tracks, a page. Here a bucket is one dict entry, an int key (the band's four
values mixed to 64 bits) and a row number (an `array` of rows when it holds more than one page), and the
sketches are rows of one numpy matrix: about 2 KB a page and one tracked object a shared bucket, and a
page's candidates are compared in one numpy call. A 64-bit key that two different bands share only adds
candidates, which the similarity check then rejects.
"""

from __future__ import annotations

from array import array

import numpy as np

from oniondex.clusters.shingles import NUM_PERM

BANDS, ROWS = 14, 4  # datasketch's optimum for threshold 0.5 and 64 permutations
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F], dtype=np.uint64)  # odd constants: mixes both halves
_BAND_SALT = (np.arange(BANDS, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)).reshape(BANDS, 1)
_FIRST_ROWS = 1024


def band_keys(values: np.ndarray) -> list[int]:
    """The bucket key of each band of a sketch's hash values (uint32), its band number mixed in."""
    pairs = values[: BANDS * ROWS].astype(np.uint64).reshape(BANDS, ROWS // 2, 2)
    halves = pairs[:, :, 0] | (pairs[:, :, 1] << np.uint64(32))  # (BANDS, 2): each band's values, exactly
    return ((halves * _MIX) ^ _BAND_SALT).sum(axis=1, dtype=np.uint64).tolist()


class BandIndex:
    """The sketches of pages by URL, and the pages of other sites sharing a band with a given sketch."""

    def __init__(self) -> None:
        self._rows: dict[str, int] = {}  # url -> its row
        self._urls: list[str] = []  # row -> url ("" for a free row)
        self._free: list[int] = []
        self._values = np.zeros((_FIRST_ROWS, NUM_PERM), dtype=np.uint32)
        self._sites = np.full(_FIRST_ROWS, -1, dtype=np.int32)  # row -> site number, -1 for a free row
        self._site_numbers: dict[str, int] = {}
        self._site_names: list[str] = []
        self._buckets: dict[int, int | array] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, url: str) -> bool:
        return url in self._rows

    def add(self, url: str, site: str, values: np.ndarray) -> None:
        """Store a page's sketch (a URL stored already must be removed first)."""
        row = self._free.pop() if self._free else self._new_row()
        self._rows[url] = row
        self._urls[row] = url
        self._values[row] = values
        self._sites[row] = self._site_number(site)
        buckets = self._buckets
        for key in band_keys(values):
            held = buckets.get(key)
            if held is None:
                buckets[key] = row
            elif type(held) is int:
                buckets[key] = array("q", (held, row))
            else:
                held.append(row)

    def remove(self, url: str) -> None:
        row = self._rows.pop(url, None)
        if row is None:
            return
        buckets = self._buckets
        for key in band_keys(self._values[row]):
            held = buckets[key]
            if type(held) is int:
                del buckets[key]
            else:
                held.remove(row)
                if len(held) == 1:
                    buckets[key] = held[0]
        self._urls[row] = ""
        self._sites[row] = -1
        self._free.append(row)

    def similar(self, site: str, values: np.ndarray, threshold: float) -> list[tuple[str, str, float]]:
        """(url, site, estimated Jaccard) of the stored pages of other sites that share a band with the
        sketch and whose estimated Jaccard similarity to it is at least `threshold`."""
        rows: list[int] = []
        for key in band_keys(values):
            held = self._buckets.get(key)
            if held is None:
                continue
            if type(held) is int:
                rows.append(held)
            else:
                rows.extend(held)
        if not rows:
            return []
        candidates = np.unique(np.array(rows, dtype=np.int64))
        own = self._site_numbers.get(site, -1)
        # A site's own pages share its template; only other sites make a cluster.
        candidates = candidates[self._sites[candidates] != own]
        same = np.count_nonzero(self._values[candidates] == values, axis=1)
        similarity = same / NUM_PERM
        kept = similarity >= threshold
        matched = candidates[kept]
        names, urls = self._site_names, self._urls
        return [
            (urls[row], names[number], sim)
            for row, number, sim in zip(
                matched.tolist(), self._sites[matched].tolist(), similarity[kept].tolist(), strict=True
            )
        ]

    def _site_number(self, site: str) -> int:
        number = self._site_numbers.get(site)
        if number is None:
            number = self._site_numbers[site] = len(self._site_names)
            self._site_names.append(site)
        return number

    def _new_row(self) -> int:
        row = len(self._urls)
        if row == len(self._values):
            self._values = np.concatenate([self._values, np.zeros_like(self._values)])
            self._sites = np.concatenate([self._sites, np.full(len(self._sites), -1, dtype=np.int32)])
        self._urls.append("")
        return row
