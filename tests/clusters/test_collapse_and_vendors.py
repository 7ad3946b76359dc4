"""Search collapse ("and N mirrors") on a real embedded index, and vendor correlation that leaves a
flagged clone's swapped identifiers out."""

from __future__ import annotations

from oniondex.clusters.collapse import collapsed_search, mirror_groups
from oniondex.clusters.store import ClusterStore
from oniondex.index import SearchQuery
from oniondex.index.embedded import EmbeddedIndex
from oniondex.vendors.records import Identifier, VendorRecord
from oniondex.vendors.store import VendorStore, correlate_store
from tests.clusters.helpers import host, other_page, shop_page

ORIGINAL, MIRROR_1, MIRROR_2, CLONE, OTHER = host("a"), host("b"), host("c"), host("d"), host("e")
REAL, SCAM, KEY = "1RealPayoutAddressxxxxxxxxxxxxxxx", "1ScamPayoutAddressxxxxxxxxxxxxxxx", "AB" * 20


def build(tmp_path) -> ClusterStore:
    store = ClusterStore(tmp_path / "clusters.db")
    for site, payout in ((ORIGINAL, REAL), (MIRROR_1, REAL), (MIRROR_2, REAL), (CLONE, SCAM)):
        for n in range(3):
            vendor = {"vendor": "IceKing", "payout": payout, "pgp": KEY} if n == 2 else {}
            store.add_page(f"http://{site}/p/{n}", site, "2026-11-01T00:00:00Z", shop_page("Acme", n, **vendor))
    store.add_page(f"http://{OTHER}/u/iceking", OTHER, "2026-11-01T00:00:00Z",
                   other_page(1, vendor="IceKing", payout=REAL))  # fmt: skip
    store.commit()
    return store


def test_search_folds_mirror_copies_and_keeps_the_clone(tmp_path):
    store = build(tmp_path)
    index = EmbeddedIndex(tmp_path / "index")
    try:
        docs = []
        for site in (ORIGINAL, MIRROR_1, MIRROR_2, CLONE):
            for n in range(3):
                url = f"http://{site}/p/{n}"
                docs.append({"id": url, "url": url, "site": site, "title": f"Acme page {n}", "language": "en",
                             "text": f"stealth packaging escrow page {n}", "fetched_at": "2026-11-01T00:00:00Z",
                             "sha256": f"{site}{n}"})  # fmt: skip
        index.add_pages(docs)
        index.commit()
        query = SearchQuery(text="escrow", limit=10)
        assert len(index.search(query).hits) == 10  # 12 copies without collapse
        result = collapsed_search(index, query, mirror_groups(store.clusters()))
        by_path: dict[str, list] = {}
        for hit in result.hits:
            by_path.setdefault(hit.url.rsplit("/", 1)[1], []).append(hit)
        # Each page once for the original and its two mirrors, and once more for the clone, never folded.
        assert sorted(by_path) == ["0", "1", "2"]
        for hits in by_path.values():
            [clone] = [h for h in hits if h.site == CLONE]
            [kept] = [h for h in hits if h.site != CLONE]
            assert clone.mirrors == ()
            assert len(kept.mirrors) == 2
            assert kept.site not in kept.mirrors
        assert result.collapsed == 6
        assert result.total == 12
        second = collapsed_search(index, SearchQuery(text="escrow", limit=2, offset=4), mirror_groups(store.clusters()))
        assert [h.url for h in second.hits] == [h.url for h in result.hits[4:6]]
    finally:
        index.close()
        store.close()


def test_vendor_correlation_leaves_out_the_clones_swapped_address(tmp_path):
    store = build(tmp_path)
    store.close()
    vendors = VendorStore(tmp_path / "vendors.db")
    for site, payout in ((ORIGINAL, REAL), (CLONE, SCAM), (OTHER, REAL)):
        record = VendorRecord("IceKing", "iceking", site, f"http://{site}/p/2", pgp=(KEY,),
                              payout=(Identifier("BTC", payout),), first_seen="x", last_seen="x")  # fmt: skip
        vendors.add_vendor(record)
    vendors.close()

    def payouts(correlation) -> set[str]:
        [identity] = correlation.identities
        return {value for view in identity for _, value in view.payout}

    assert payouts(correlate_store(tmp_path / "vendors.db")) == {REAL, SCAM}  # the clone's address as the vendor's
    discounted = correlate_store(tmp_path / "vendors.db", tmp_path / "clusters.db")
    assert payouts(discounted) == {REAL}
    assert not any(link.value == SCAM for link in discounted.links)
    assert {view.site for view in discounted.identities[0]} == {ORIGINAL, CLONE, OTHER}  # still linked by the key
