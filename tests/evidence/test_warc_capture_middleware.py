"""The capture middleware on synthetic responses, built through Scrapy as in a crawl."""

import gzip

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from crawler.middlewares.warc_capture import RECORD_META_KEY, WarcCaptureMiddleware
from crawler.spiders.onion import OnionSpider
from oniondex.evidence.warcfile import warc_files
from oniondex.page import Page
from oniondex.records import PageRecord

ONION = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"
URL = f"http://{ONION}/listing"


def build(tmp_path, **settings):
    from crawler import settings as project

    base = {k: getattr(project, k) for k in dir(project) if k.isupper()}
    base.update(EXTENSIONS={}, ONIONDEX_DATA_DIR=str(tmp_path), ONIONDEX_WARC_JOB_ID="20250101T000000Z-abcdef")
    base.update(settings)
    crawler = get_crawler(OnionSpider, base)
    crawler.stats.open_spider()
    return crawler, build_from_crawler(WarcCaptureMiddleware, crawler)


def warc_stats(crawler):
    return {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("oniondex/warc/")}


def stored(tmp_path):
    found = []
    for path in warc_files(tmp_path / "warc"):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                headers = dict(record.http_headers.headers) if record.http_headers else {}
                found.append((record.rec_type, headers, record.raw_stream.read()))
    return found


def test_stores_the_compressed_bytes_as_received(tmp_path):
    crawler, mw = build(tmp_path)
    raw = gzip.compress(b"<html><title>ice</title></html>")
    request = Request(URL)
    response = Response(URL, body=raw, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    assert mw.process_response(request, response) is response
    mw.spider_closed(crawler.spider)
    (_info, (kind, headers, body), (request_kind, _, _)) = stored(tmp_path)
    assert (kind, body, headers["Content-Encoding"], request_kind) == ("response", raw, "gzip", "request")
    assert request.meta[RECORD_META_KEY].startswith("<urn:uuid:")
    stats = warc_stats(crawler)
    assert stats.pop("oniondex/warc/bytes") > len(raw)
    assert stats == {"oniondex/warc/response": 1, "oniondex/warc/files": 1}


def test_a_compression_bomb_and_a_stopped_download_are_not_stored(tmp_path):
    crawler, mw = build(tmp_path, DOWNLOAD_MAXSIZE=10_000)
    bomb = gzip.compress(b"\0" * 1_000_000)
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    mw.process_response(Request(URL), Response(URL, body=bomb, headers=headers))
    mw.process_response(Request(URL), Response(URL, body=b"<ht", flags=["download_stopped"]))
    mw.spider_closed(crawler.spider)
    assert stored(tmp_path) == []
    assert warc_stats(crawler) == {
        "oniondex/warc/skipped/oversize": 1,
        "oniondex/warc/skipped/partial": 1,
        "oniondex/warc/files": 0,
    }


def test_an_unchanged_response_becomes_a_revisit_and_page_records_get_metadata(tmp_path):
    crawler, mw = build(tmp_path)
    for _ in range(2):
        request = Request(URL)
        response = HtmlResponse(URL, body=b"<html>same</html>", headers={"Content-Type": "text/html"}, request=request)
        mw.process_response(request, response)
        record = PageRecord(url=URL, site=ONION, fetched_at="2025-01-01T00:00:00+00:00", status=200, depth=1)
        record.page = Page(URL, response.body)
        mw.page_done(record, response=response)
    mw.spider_closed(crawler.spider)
    kinds = [kind for kind, _, _ in stored(tmp_path)]
    assert kinds == ["warcinfo", "response", "request", "metadata", "revisit", "request", "metadata"]
    assert warc_stats(crawler)["oniondex/warc/revisit"] == 1
    assert warc_stats(crawler)["oniondex/warc/metadata"] == 2


def test_can_be_switched_off_by_its_setting(tmp_path):
    with pytest.raises(NotConfigured, match="ONIONDEX_WARC_ENABLED"):
        build(tmp_path, ONIONDEX_WARC_ENABLED=False)


def test_rejects_a_nonsense_file_size(tmp_path):
    with pytest.raises(ValueError, match="ONIONDEX_WARC_MAX_SIZE"):
        build(tmp_path, ONIONDEX_WARC_MAX_SIZE=0)


def test_rejects_a_nonsense_gzip_level(tmp_path):
    with pytest.raises(ValueError, match="ONIONDEX_WARC_GZIP_LEVEL"):
        build(tmp_path, ONIONDEX_WARC_GZIP_LEVEL=0)


@pytest.mark.parametrize("level", [6, 9])
def test_the_gzip_level_changes_the_file_size_not_the_records(tmp_path, level):
    crawler, mw = build(tmp_path / "fast", ONIONDEX_WARC_GZIP_LEVEL=1)
    other, other_mw = build(tmp_path / str(level), ONIONDEX_WARC_GZIP_LEVEL=level)
    body = b"<html><title>ice</title>" + b"".join(b"<p>ice %d g for %d won</p>" % (n, n * 7) for n in range(2000))
    for middleware, spider in ((mw, crawler.spider), (other_mw, other.spider)):
        middleware.process_response(Request(URL), HtmlResponse(URL, body=body, headers={"Content-Type": "text/html"}))
        middleware.spider_closed(spider)
    fast, chosen = stored(tmp_path / "fast"), stored(tmp_path / str(level))
    assert [(kind, payload) for kind, _, payload in fast] == [(kind, payload) for kind, _, payload in chosen]
    assert body in [payload for _, _, payload in chosen]
    sizes = [sum(p.stat().st_size for p in warc_files(tmp_path / name / "warc")) for name in ("fast", str(level))]
    assert sizes[1] < sizes[0]
