"""Page records as a crawl yields them, for pipeline tests here and in tests/es/."""

from oniondex.entities import Entity
from oniondex.extraction import PageExtraction
from oniondex.records import PageRecord

SITE = "c" * 52 + "cccd.onion"


def crawl_records(count, site=SITE, fetched_at="2026-11-21T10:00:00+00:00"):
    for n in range(count):
        url = f"http://{site}/p{n}"
        text = f"page {n}: 아이스 작대기 던지기 escrow vendor {n}"
        yield PageRecord(
            url=url,
            site=site,
            fetched_at=fetched_at,
            status=200,
            sha256=f"sha{n}",
            extraction=PageExtraction(
                title=f"page {n}",
                text=text,
                language="ko",
                entities=(Entity("telegram", f"dealer{n % 3}", "", 0, url, site, fetched_at, "text"),),
            ),
        )
