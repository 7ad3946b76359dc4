"""Page records as a crawl yields them, for pipeline tests here and in tests/es/."""

from oniondex.records import PageRecord

SITE = "c" * 52 + "cccd.onion"


def crawl_records(count, site=SITE, fetched_at="2026-11-21T10:00:00+00:00"):
    for n in range(count):
        text = f"page {n}: 아이스 작대기 던지기 escrow vendor {n}"
        yield PageRecord(
            url=f"http://{site}/p{n}",
            site=site,
            fetched_at=fetched_at,
            status=200,
            title=f"page {n}",
            text=text,
            language="ko",
            sha256=f"sha{n}",
            entities=[{"type": "telegram", "value": f"dealer{n % 3}", "snippet": "", "offset": 0}],
        )
