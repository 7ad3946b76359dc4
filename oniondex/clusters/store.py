"""The cluster store (SQLite, DATA_DIR/clusters.db by default): every page's sketch and vendor
identifiers, and the near-duplicate page pairs across sites, kept up to date as pages arrive.

`add_page` is incremental: the page's MinHash is looked up in an LSH index (bands.py: datasketch's banding,
kept compact; rebuilt in memory from the stored sketches on the store's first write), candidates from other
sites are checked against the estimated Jaccard similarity, and the pairs that pass are stored. A page seen
again with the same sketch changes nothing; a changed page replaces its pairs. Site clusters are assembled
on read from the stored pairs (`clusters()`), which costs one pass over pairs, not over pages.

Two sites are linked when at least half of the smaller site's pages (those with enough words, see
shingles.py) have a near-duplicate on the other site, and at least two do (one, for a one-page site).
"""

from __future__ import annotations

import logging
import sqlite3
from collections import defaultdict
from pathlib import Path

from oniondex.clusters.bands import BandIndex
from oniondex.clusters.clones import flag_clones
from oniondex.clusters.identifiers import page_identifiers
from oniondex.clusters.model import Cluster, Identifier, PageSketch
from oniondex.clusters.shingles import SKETCH_VERSION, page_sketch, sketch_values
from oniondex.extraction import PageExtraction

logger = logging.getLogger(__name__)

THRESHOLD = 0.5  # estimated Jaccard of two pages' masked shingles for them to count as near-duplicates
SITE_SHARE = 0.5  # share of the smaller site's pages that must have a near-duplicate on the other

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY, site TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
    sketch BLOB NOT NULL, eligible INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS pages_site ON pages (site);
CREATE TABLE IF NOT EXISTS identifiers (
    url TEXT NOT NULL, site TEXT NOT NULL, vendor TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (url, vendor, kind, value));
CREATE INDEX IF NOT EXISTS identifiers_value ON identifiers (value);
CREATE TABLE IF NOT EXISTS matches (
    a TEXT NOT NULL, b TEXT NOT NULL, site_a TEXT NOT NULL, site_b TEXT NOT NULL, similarity REAL NOT NULL,
    PRIMARY KEY (a, b));
CREATE INDEX IF NOT EXISTS matches_b ON matches (b);
CREATE INDEX IF NOT EXISTS matches_sites ON matches (site_a, site_b);
"""


class ClusterStore:
    def __init__(self, path: Path, threshold: float = THRESHOLD) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.threshold = threshold
        # One thread at a time, but not always the opening one: the crawl writes from its writer thread.
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.executescript(_SCHEMA)
        self._retire_old_sketches()
        self._bands: BandIndex | None = None  # built on the first write: readers need only the stored pairs
        self._clusters: list[Cluster] | None = None

    @property
    def bands(self) -> BandIndex:
        """The eligible pages' sketches, by band."""
        if self._bands is None:
            self._bands = BandIndex.for_threshold(self.threshold)
            rows = self.db.execute("SELECT url, site, sketch FROM pages WHERE eligible AND length(sketch) > 0")
            for url, site, blob in rows:
                self._bands.add(url, site, sketch_values(blob))
        return self._bands

    def _retire_old_sketches(self) -> None:
        """Sketches of another SKETCH_VERSION cannot be compared with this one's: they are emptied (a page
        with none is matched again when it is next crawled, against the pages sketched since), and the pairs
        found with them are kept until then."""
        (version,) = self.db.execute("PRAGMA user_version").fetchone()
        if version == SKETCH_VERSION:
            return
        retired = self.db.execute("UPDATE pages SET sketch = X'' WHERE length(sketch) > 0").rowcount
        self.db.execute(f"PRAGMA user_version = {SKETCH_VERSION:d}")
        self.db.commit()
        if retired:
            logger.warning(
                "cluster store %s: %d sketches of version %d set aside (this release makes version %d); "
                "their pages are matched again when next crawled, their pairs are kept",
                self.path, retired, version, SKETCH_VERSION,
            )  # fmt: skip

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    def commit(self) -> None:
        self.db.commit()

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM pages").fetchone()[0])

    def add_page(
        self, url: str, site: str, seen_at: str, extraction: PageExtraction, sketched: PageSketch | None = None
    ) -> None:
        """Take one page (a recrawl of a known URL too): its sketch, identifiers and near-duplicates.
        `sketched` is the page's `page_sketch` when it was made already (the crawl's extraction processes
        make it), else it is made here."""
        bands = self.bands  # built before this page's row changes, so it never holds the page twice
        sketched = sketched or page_sketch(extraction)
        blob, eligible = sketched.values, sketched.eligible
        old = self.db.execute("SELECT sketch, first_seen FROM pages WHERE url = ?", (url,)).fetchone()
        self._clusters = None
        self.db.execute("DELETE FROM identifiers WHERE url = ?", (url,))
        self.db.executemany(
            "INSERT OR IGNORE INTO identifiers VALUES (?, ?, ?, ?, ?)",
            [(url, site, i.vendor, i.kind, i.value) for i in page_identifiers(extraction)],
        )
        if old is not None and old[0] == blob:
            self.db.execute("UPDATE pages SET last_seen = max(last_seen, ?) WHERE url = ?", (seen_at, url))
            return
        first_seen = min(old[1], seen_at) if old is not None else seen_at
        if old is not None:
            self._forget(url)
        self.db.execute(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?)", (url, site, first_seen, seen_at, blob, eligible)
        )
        if not eligible:
            return
        values = sketch_values(blob)
        # Stored with the lower site first, so one pair of sites is always one (site_a, site_b).
        rows = [
            (url, other, site, other_site, similarity)
            if site < other_site
            else (other, url, other_site, site, similarity)
            for other, other_site, similarity in bands.similar(site, values, self.threshold)
        ]
        self.db.executemany("INSERT OR REPLACE INTO matches VALUES (?, ?, ?, ?, ?)", rows)
        bands.add(url, site, values)

    def _forget(self, url: str) -> None:
        self.db.execute("DELETE FROM matches WHERE a = ? OR b = ?", (url, url))
        self.bands.remove(url)

    def clusters(self) -> list[Cluster]:
        """Every cluster of two or more sites, largest first."""
        if self._clusters is None:
            self._clusters = self._assemble()
        return self._clusters

    def cluster_of(self, site: str) -> Cluster | None:
        return next((c for c in self.clusters() if site in c.sites), None)

    def _assemble(self) -> list[Cluster]:
        pages = dict(self.db.execute("SELECT site, count(*) FROM pages WHERE eligible GROUP BY site"))
        parent: dict[str, str] = {}

        def root(site: str) -> str:
            parent.setdefault(site, site)
            while parent[site] != site:
                parent[site] = parent[parent[site]]
                site = parent[site]
            return site

        pairs = self.db.execute(
            "SELECT site_a, site_b, count(DISTINCT a), count(DISTINCT b) FROM matches GROUP BY site_a, site_b"
        )
        for site_a, site_b, on_a, on_b in pairs:
            smaller = min(pages.get(site_a, 0), pages.get(site_b, 0))
            shared = on_a if pages.get(site_a, 0) <= pages.get(site_b, 0) else on_b
            if smaller and shared >= SITE_SHARE * smaller and min(on_a, on_b) >= min(2, smaller):
                parent[root(site_a)] = root(site_b)
        groups: dict[str, list[str]] = defaultdict(list)
        for site in list(parent):
            groups[root(site)].append(site)
        return sorted(
            (self._cluster(members) for members in groups.values() if len(members) >= 2),
            key=lambda c: (-len(c.sites), c.id),
        )

    def _cluster(self, members: list[str]) -> Cluster:
        marks = ",".join("?" * len(members))
        first_seen = dict(
            self.db.execute(f"SELECT site, min(first_seen) FROM pages WHERE site IN ({marks}) GROUP BY site", members)  # noqa: S608
        )
        shown: dict[str, set[Identifier]] = defaultdict(set)
        query = f"SELECT site, vendor, kind, value FROM identifiers WHERE site IN ({marks})"  # noqa: S608
        for site, vendor, kind, value in self.db.execute(query, members):
            shown[site].add(Identifier(vendor, kind, value))
        original, flags = flag_clones(members, shown, first_seen, self._support)
        flagged = {flag.site for flag in flags}
        rest = sorted((s for s in members if s != original), key=lambda s: (s in flagged, first_seen.get(s, ""), s))
        return Cluster(original, (original, *rest), flags)

    def _support(self, values: frozenset[str], members: frozenset[str]) -> int:
        """Sites outside `members` that show any of `values` for any vendor."""
        value_marks, site_marks = ",".join("?" * len(values)), ",".join("?" * len(members))
        query = (
            f"SELECT count(DISTINCT site) FROM identifiers WHERE value IN ({value_marks})"  # noqa: S608
            f" AND site NOT IN ({site_marks})"
        )
        return int(self.db.execute(query, [*values, *members]).fetchone()[0])
