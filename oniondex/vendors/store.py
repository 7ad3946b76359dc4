"""The vendor store: every vendor view a crawl saw, in SQLite (DATA_DIR/vendors.db by default).

One row per (site, normalised name), its identifiers, and the listing URLs seen under that vendor.
`oniondex vendor` reads it; the vendor store pipeline writes it (from typed `VendorRecord`s and
`ListingRecord`s). Writes are idempotent, so a recrawl or a
replay only widens first/last seen and adds identifiers.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from oniondex.vendors.correlate import Correlation, VendorView, correlate
from oniondex.vendors.names import normalise_name
from oniondex.vendors.records import VendorRecord

if TYPE_CHECKING:
    from oniondex.listings.records import ListingRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vendors (
    site TEXT NOT NULL, name_normalised TEXT NOT NULL, name TEXT NOT NULL, url TEXT NOT NULL DEFAULT '',
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, PRIMARY KEY (site, name_normalised));
CREATE TABLE IF NOT EXISTS evidence (
    site TEXT NOT NULL, name_normalised TEXT NOT NULL, kind TEXT NOT NULL, type TEXT NOT NULL,
    value TEXT NOT NULL, PRIMARY KEY (site, name_normalised, kind, type, value));
CREATE TABLE IF NOT EXISTS listings (
    site TEXT NOT NULL, name_normalised TEXT NOT NULL, url TEXT NOT NULL,
    PRIMARY KEY (site, name_normalised, url));
"""

BUSY_TIMEOUT = 60.0  # seconds a write waits for another process's transaction


class VendorStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # One thread at a time, but not always the opening one: the crawl writes from its writer thread.
        # An onion crawl and a Telegram crawl write the same store at once (make demo does): WAL lets the
        # readers on, and a writer waits for the other's transaction instead of failing after sqlite's 5 s.
        self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # a commit costs ~60 µs, not an fsync: one per page or post
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    def add_vendor(self, vendor: VendorRecord) -> None:
        key = (vendor.site, vendor.name_normalised)
        self.db.execute(
            "INSERT INTO vendors VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site, name_normalised) DO UPDATE SET"
            " url = CASE WHEN vendors.url = '' THEN excluded.url ELSE vendors.url END,"
            " first_seen = min(vendors.first_seen, excluded.first_seen),"
            " last_seen = max(vendors.last_seen, excluded.last_seen)",
            (*key, vendor.name, vendor.url, vendor.first_seen, vendor.last_seen),
        )
        rows = [("pgp", "pgp", fp) for fp in vendor.pgp]
        rows += [("contact", c.type, c.value) for c in vendor.contacts]
        rows += [("payout", p.type, p.value) for p in vendor.payout]
        self.db.executemany("INSERT OR IGNORE INTO evidence VALUES (?, ?, ?, ?, ?)", [(*key, *row) for row in rows])

    def add_listing(self, listing: ListingRecord) -> None:
        """A listing names its vendor: the vendor exists on that site even without a profile page."""
        if not listing.vendor:
            return
        key = normalise_name(listing.vendor)
        seen = listing.seen_at
        self.add_vendor(VendorRecord(listing.vendor, key, listing.site, "", first_seen=seen, last_seen=seen))
        self.db.execute("INSERT OR IGNORE INTO listings VALUES (?, ?, ?)", (listing.site, key, listing.url))

    def commit(self) -> None:
        self.db.commit()

    def views(self) -> list[VendorView]:
        evidence: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        for site, key, kind, type_, value in self.db.execute("SELECT * FROM evidence"):
            evidence.setdefault((site, key), []).append((kind, type_, value))
        counts = {
            (site, key): n
            for site, key, n in self.db.execute("SELECT site, name_normalised, count(*) FROM listings GROUP BY 1, 2")
        }
        out = []
        for site, key, name, url, first, last in self.db.execute("SELECT * FROM vendors ORDER BY site, name"):
            rows = evidence.get((site, key), [])
            out.append(
                VendorView(
                    site,
                    name,
                    url,
                    pgp=tuple(v for k, _, v in rows if k == "pgp"),
                    contacts=tuple((t, v) for k, t, v in rows if k == "contact"),
                    payout=tuple((t, v) for k, t, v in rows if k == "payout"),
                    listing_count=counts.get((site, key), 0),
                    first_seen=first,
                    last_seen=last,
                )
            )
        return out

    def dump(self) -> str:
        return json.dumps([v.__dict__ for v in self.views()], ensure_ascii=False)


def correlate_store(path: Path, clusters: Path | None = None) -> Correlation:
    """Every vendor view in the store at `path`, linked across sites (an empty correlation if none exists).
    With a cluster store, what flagged phishing clones swapped in is left out of their views first."""
    if not path.exists():
        return correlate([])
    store = VendorStore(path)
    try:
        views = store.views()
    finally:
        store.close()
    if clusters is not None and clusters.exists():
        from oniondex.clusters.discount import without_swapped
        from oniondex.clusters.store import ClusterStore

        cluster_store = ClusterStore(clusters)
        try:
            views = without_swapped(views, (flag for c in cluster_store.clusters() for flag in c.clones))
        finally:
            cluster_store.close()
    return correlate(views)
