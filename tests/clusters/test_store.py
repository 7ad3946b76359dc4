"""The cluster store: near-duplicate sites cluster, clones are flagged with their swaps, and the store is
incremental and persistent."""

from __future__ import annotations

from dataclasses import replace

from oniondex.clusters.shingles import page_sketch
from oniondex.clusters.store import ClusterStore
from oniondex.extraction import PageExtraction
from tests.clusters.helpers import host, other_page, shop_page

ORIGINAL, MIRROR, CLONE, OTHER, ELSEWHERE = host("a"), host("b"), host("c"), host("d"), host("e")
REAL, SCAM, KEY = "1RealPayoutAddressxxxxxxxxxxxxxxx", "1ScamPayoutAddressxxxxxxxxxxxxxxx", "AB" * 20


def add_shop(
    store: ClusterStore, site: str, payout: str, seen: str = "2026-11-01T00:00:00Z", shop: str = "Acme"
) -> None:
    for n in range(3):
        vendor = {"vendor": "IceKing", "payout": payout, "pgp": KEY} if n == 2 else {}
        store.add_page(f"http://{site}/p/{n}", site, seen, shop_page(shop, n, **vendor))


def test_mirrors_cluster_and_the_clone_is_flagged_with_its_swap(tmp_path):
    store = ClusterStore(tmp_path / "clusters.db")
    add_shop(store, CLONE, SCAM, seen="2026-10-01T00:00:00Z")  # seen first: age alone must not make it the original
    add_shop(store, ORIGINAL, REAL)
    add_shop(store, MIRROR, REAL)
    for n in range(3):
        store.add_page(f"http://{OTHER}/t/{n}", OTHER, "2026-11-01T00:00:00Z", other_page(n))
    # The vendor's real address, seen on a site outside the cluster: what tells the original from the clone.
    elsewhere = replace(other_page(1, vendor="IceKing", payout=REAL), text="IceKing pays out to this address.")
    store.add_page(f"http://{ELSEWHERE}/u/iceking", ELSEWHERE, "2026-11-02T00:00:00Z", elsewhere)
    [cluster] = store.clusters()
    assert set(cluster.sites) == {ORIGINAL, MIRROR, CLONE}
    assert cluster.id == ORIGINAL
    [flag] = cluster.clones
    assert flag.site == CLONE
    assert flag.original == ORIGINAL
    [swap] = flag.swaps
    assert (swap.vendor, swap.kind, swap.clone_values, swap.original_values) == ("iceking", "payout", (SCAM,), (REAL,))
    assert cluster.mirrors == (ORIGINAL, MIRROR) or set(cluster.mirrors) == {ORIGINAL, MIRROR}
    assert store.cluster_of(OTHER) is None


def test_true_mirrors_are_never_flagged(tmp_path):
    store = ClusterStore(tmp_path / "clusters.db")
    for site in (ORIGINAL, MIRROR, CLONE):
        add_shop(store, site, REAL)
    [cluster] = store.clusters()
    assert len(cluster.sites) == 3
    assert cluster.clones == ()


def test_persistent_and_incremental_across_reopening(tmp_path):
    path = tmp_path / "clusters.db"
    store = ClusterStore(path)
    add_shop(store, ORIGINAL, REAL)
    add_shop(store, MIRROR, REAL)
    store.close()
    store = ClusterStore(path)
    [cluster] = store.clusters()
    assert set(cluster.sites) == {ORIGINAL, MIRROR}
    add_shop(store, CLONE, SCAM)  # matched against the sketches stored by the first session
    store.close()
    [cluster] = ClusterStore(path).clusters()
    assert set(cluster.sites) == {ORIGINAL, MIRROR, CLONE}


def test_a_page_seen_again_changes_nothing_and_a_changed_site_leaves(tmp_path):
    store = ClusterStore(tmp_path / "clusters.db")
    add_shop(store, ORIGINAL, REAL)
    add_shop(store, MIRROR, REAL)
    pairs = store.db.execute("SELECT count(*) FROM matches").fetchone()[0]
    add_shop(store, MIRROR, REAL, seen="2026-11-05T00:00:00Z")
    assert store.db.execute("SELECT count(*) FROM matches").fetchone()[0] == pairs
    assert len(store) == 6
    for n in range(3):  # the mirror is replaced by something else entirely
        text = (
            f"Seized by the authorities, notice number {n}. " * 3
            + "This hidden service has been seized as part of a law enforcement action"
        )
        store.add_page(
            f"http://{MIRROR}/p/{n}", MIRROR, "2026-11-06T00:00:00Z", PageExtraction(title="Seized", text=text)
        )
    assert store.clusters() == []
    assert len(store) == 6


def test_short_pages_tie_no_sites(tmp_path):
    store = ClusterStore(tmp_path / "clusters.db")
    for site in (ORIGINAL, MIRROR):
        for path in ("/404", "/rules"):
            store.add_page(f"http://{site}{path}", site, "2026-11-01T00:00:00Z",
                           PageExtraction(title="Not found", text="Nothing here. Back"))  # fmt: skip
    assert store.clusters() == []


def test_a_sketch_made_elsewhere_stores_what_the_store_would_make(tmp_path):
    # The crawl's extraction processes ship each page's sketch; the store must end up the same either way.
    stores = [ClusterStore(tmp_path / f"{n}.db") for n in range(2)]
    for site, payout in ((ORIGINAL, REAL), (MIRROR, REAL), (CLONE, SCAM)):
        for n in range(3):
            vendor = {"vendor": "IceKing", "payout": payout, "pgp": KEY} if n == 2 else {}
            page = shop_page("Acme", n, **vendor)
            stores[0].add_page(f"http://{site}/p/{n}", site, "2026-11-01T00:00:00Z", page)
            stores[1].add_page(f"http://{site}/p/{n}", site, "2026-11-01T00:00:00Z", page, page_sketch(page))
    tables = [[list(s.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2")) for t in ("pages", "matches")] for s in stores]
    assert tables[0] == tables[1]
    assert tables[0][1]  # the pages did match
    assert stores[0].clusters() == stores[1].clusters()


def test_sketches_of_an_older_version_are_set_aside_and_their_pairs_kept(tmp_path, caplog):
    """A store written by a release that hashed shingles otherwise: its sketches cannot be compared with new
    ones. They are emptied, the clusters found with them stay, and a page crawled again is matched anew
    (against the pages sketched since)."""
    path = tmp_path / "clusters.db"
    store = ClusterStore(path)
    add_shop(store, ORIGINAL, REAL)
    add_shop(store, MIRROR, REAL)
    store.db.execute("PRAGMA user_version = 0")  # what a store of the earlier release says
    store.close()

    store = ClusterStore(path)
    assert "6 sketches of version 0 set aside" in caplog.text
    assert store.db.execute("SELECT count(*) FROM pages WHERE length(sketch) > 0").fetchone() == (0,)
    assert {frozenset(c.sites) for c in store.clusters()} == {frozenset({ORIGINAL, MIRROR})}
    assert len(store.bands) == 0  # nothing to compare new sketches with until pages come again
    add_shop(store, CLONE, REAL)
    assert store.cluster_of(CLONE) is None
    # Crawled again: sketched anew, its old pairs replaced by its matches among the pages sketched since.
    add_shop(store, ORIGINAL, REAL, seen="2026-11-05T00:00:00Z")
    assert set(store.cluster_of(CLONE).sites) == {ORIGINAL, CLONE}
    add_shop(store, MIRROR, REAL, seen="2026-11-05T00:00:00Z")
    assert set(store.cluster_of(CLONE).sites) == {ORIGINAL, MIRROR, CLONE}
    store.close()
    caplog.clear()
    ClusterStore(path).close()
    assert "set aside" not in caplog.text
