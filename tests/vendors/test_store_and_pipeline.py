from __future__ import annotations

from oniondex.cli import main
from oniondex.page import Page
from oniondex.quality.listings import served_pages
from oniondex.records import PageRecord
from pipelines.extraction import ExtractionPipeline
from pipelines.vendor_store import VendorStorePipeline


class _Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def test_pipeline_fills_records_and_the_store_answers_the_cli(tmp_path, capsys) -> None:
    from sample_darknet.world import build_world

    world = build_world()
    stats = _Stats()
    extraction, store = ExtractionPipeline(stats), VendorStorePipeline(tmp_path / "vendors.db")
    store.open_spider()
    for site_id in ("market-table", "market-cards"):
        site = world.by_id(site_id)
        for _spec, page in served_pages(site):
            record = PageRecord(page.url, site.onion, "2026-01-02T03:04:05Z", 200, page=page)
            store.process_item(extraction.process_item(record))
    store.close_spider()
    assert stats.values["oniondex/listings/found"] >= 60
    # Every page with listings presents their vendors (issue 11), not only the 10 vendor pages.
    assert stats.values["oniondex/vendors/found"] > 10
    assert main(["vendor", "IceKing_KR", "--db", str(tmp_path / "vendors.db")]) == 0
    out = capsys.readouterr().out
    assert "2 view(s) on 2 site(s)" in out
    assert "link STRONG by pgp" in out


def test_non_html_page_passes_through(tmp_path) -> None:
    page = Page("http://x.onion/a.txt", b"$5", "text/plain")
    record = PageRecord(page.url, "x.onion", "", 200, page=page)
    assert ExtractionPipeline().process_item(record).listings == ()
