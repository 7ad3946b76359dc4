"""The cluster store's LSH index, kept compact: the band buckets of every stored sketch, in memory.

The banding is datasketch's for the store's threshold (its `MinHashLSH` picks the bands and rows: 14 of 4
at 0.5 with NUM_PERM 64; tests/clusters check that both find the same pages), so a page's candidates are
the pages that share a band with it. datasketch keeps a set for every bucket and a list of byte keys for
every page: about 5 KB and 15 objects the garbage collector tracks, a page. Here a bucket is one dict entry,
an int key (Python's 64-bit hash of the band number and its values, which only this process's memory holds)
and a row number (an `array` of rows when it holds more than one page), and the sketches are rows of one
numpy matrix: about 2 KB a page and one tracked object a shared bucket, and a page's candidates are
compared in one numpy call. A key that two different bands share only adds candidates, which the
similarity check then rejects.
"""

from __future__ import annotations

from array import array

import numpy as np
from datasketch import MinHashLSH

from oniondex.clusters.shingles import NUM_PERM

_FIRST_ROWS = 1024


class BandIndex:
    """The sketches of pages by URL, and the pages of other sites sharing a band with a given sketch."""

    def __init__(self, bands: int, rows: int) -> None:
        self.bands, self.rows = bands, rows
        self._row_of: dict[str, int] = {}  # url -> its row
        self._urls: list[str] = []  # row -> url ("" for a free row)
        self._free: list[int] = []
        self._values = np.zeros((_FIRST_ROWS, NUM_PERM), dtype=np.uint32)
        self._sites = np.full(_FIRST_ROWS, -1, dtype=np.int32)  # row -> site number, -1 for a free row
        self._site_numbers: dict[str, int] = {}
        self._site_names: list[str] = []
        self._buckets: dict[int, int | array] = {}

    @classmethod
    def for_threshold(cls, threshold: float) -> BandIndex:
        """The banding datasketch's MinHashLSH would use for this Jaccard threshold."""
        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        return cls(lsh.b, lsh.r)

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, url: str) -> bool:
        return url in self._row_of

    def add(self, url: str, site: str, values: np.ndarray) -> None:
        """Store a page's sketch (a URL stored already must be removed first)."""
        row = self._free.pop() if self._free else self._new_row()
        self._row_of[url] = row
        self._urls[row] = url
        self._values[row] = values
        self._sites[row] = self._site_number(site)
        buckets = self._buckets
        for key in self._keys(values):
            held = buckets.get(key)
            if held is None:
                buckets[key] = row
            elif type(held) is int:
                buckets[key] = array("q", (held, row))
            else:
                held.append(row)

    def remove(self, url: str) -> None:
        row = self._row_of.pop(url, None)
        if row is None:
            return
        buckets = self._buckets
        for key in self._keys(self._values[row]):
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
        for key in self._keys(values):
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

    def _keys(self, values: np.ndarray) -> list[int]:
        """The bucket key of each band of a sketch's hash values."""
        data = values[: self.bands * self.rows].tobytes()
        width = self.rows * values.itemsize
        return [hash((band, data[band * width : (band + 1) * width])) for band in range(self.bands)]

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
