"""The cluster pipeline in one crawl: which of two look-alike sites is flagged does not depend on the
order their pages arrive in (each page is stored as seen at the crawl's start, its job id's time), while
a site an earlier crawl saw still counts as seen first."""

from __future__ import annotations

from itertools import permutations

import pytest

from oniondex.records import PageRecord
from pipelines.clusters import ClusterPipeline, job_started
from tests.clusters.helpers import host, shop_page

ORIGINAL, CLONE, MIRROR = host("a"), host("c"), host("b")
REAL, SCAM, KEY = "1RealPayoutAddressxxxxxxxxxxxxxxx", "1ScamPayoutAddressxxxxxxxxxxxxxxx", "AB" * 20


def pages(site: str, payout: str, fetched_at: str) -> list[PageRecord]:
    out = []
    for n in range(3):
        vendor = {"vendor": "IceKing", "payout": payout, "pgp": KEY} if n == 2 else {}
        extraction = shop_page("Acme", n, **vendor)
        out.append(PageRecord(f"http://{site}/p/{n}", site, fetched_at, 200, extraction=extraction))
    return out


def crawl(path, job: str, *sites: list[PageRecord]) -> ClusterPipeline:
    pipeline = ClusterPipeline(path, crawl_started=job_started(job))
    pipeline.open_spider()
    for records in sites:
        for record in records:
            assert pipeline.process_item(record) is record
    pipeline.close_spider()
    return pipeline


def flagged(path) -> dict[str, str]:
    from oniondex.clusters.store import ClusterStore

    store = ClusterStore(path)
    try:
        return {flag.site: flag.original for cluster in store.clusters() for flag in cluster.clones}
    finally:
        store.close()


def test_job_ids_give_their_start_time():
    assert job_started("20261201T164631Z-b97ae2") == "2026-12-01T16:46:31+00:00"
    assert job_started("") == job_started("not-a-job") == ""


@pytest.mark.parametrize("order", list(permutations(range(3))))
def test_arrival_order_within_a_crawl_decides_nothing(tmp_path, order):
    # The clone's pages come minutes before the original's in some orders: fetch times are not used.
    sites = [pages(CLONE, SCAM, "2026-11-01T00:00:00Z"), pages(ORIGINAL, REAL, "2026-11-01T00:05:00Z"),
             pages(MIRROR, REAL, "2026-11-01T00:09:00Z")]  # fmt: skip
    crawl(tmp_path / "clusters.db", "20261101T000000Z-aaaaaa", *(sites[i] for i in order))
    assert flagged(tmp_path / "clusters.db") == {CLONE: ORIGINAL}  # the majority: same in every order


def test_two_look_alikes_get_the_same_verdict_whichever_arrives_first(tmp_path):
    # Nothing tells these two apart but the order of arrival, which must not decide: the verdict is the
    # same both ways (a coin toss by host name; rule 1 needs the vendor's identifiers seen elsewhere).
    verdicts = []
    runs = (((ORIGINAL, REAL), (CLONE, SCAM)), ((CLONE, SCAM), (ORIGINAL, REAL)))
    for n, (first, second) in enumerate(runs):
        path = tmp_path / f"run{n}.db"
        crawl(path, "20261101T000000Z-aaaaaa", pages(*first, "2026-11-01T00:00:00Z"),
              pages(*second, "2026-11-01T00:07:00Z"))  # fmt: skip
        verdicts.append(flagged(path))
    assert len(verdicts[0]) == 1
    assert verdicts[0] == verdicts[1]


def test_a_site_seen_in_an_earlier_crawl_is_seen_first(tmp_path):
    path, original = tmp_path / "clusters.db", host("y")  # sorts after the clone: the host name decides nothing
    crawl(path, "20261101T000000Z-aaaaaa", pages(original, REAL, "2026-11-01T00:05:00Z"))
    crawl(path, "20261108T000000Z-bbbbbb", pages(CLONE, SCAM, "2026-11-08T00:01:00Z"))
    assert flagged(path) == {CLONE: original}
