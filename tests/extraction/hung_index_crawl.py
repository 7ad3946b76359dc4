"""A crawl of loopback pages into an index that hangs until every page has been downloaded.

Run as a child process (Twisted's reactor runs once per process) by test_pipelines.py:
    python tests/extraction/hung_index_crawl.py DATA_DIR PAGES
Each page is a vendor's page (/vendor/dealer_N, with the vendor's Telegram handle). Prints one JSON line:
responses seen, stats, what the index and the vendor store held after close, whether the index was
released by the crawl (True) or gave up waiting (False: the crawl stalled behind the index).
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import scrapy
from scrapy.crawler import CrawlerProcess

import pipelines.index
from oniondex.index.embedded import EmbeddedIndex
from oniondex.page import Page
from oniondex.records import PageRecord
from oniondex.vendors.store import VendorStore

WAIT_LIMIT = 60.0  # seconds the index waits for the crawl before giving up (a stalled crawl)
all_downloaded = threading.Event()
state = {"released_by_crawl": None, "responses": 0}


class HungIndex(EmbeddedIndex):
    """The embedded index, whose writes hang until the crawl has downloaded every page."""

    def add_pages(self, documents):
        if state["released_by_crawl"] is None:
            state["released_by_crawl"] = all_downloaded.wait(WAIT_LIMIT)
        return super().add_pages(documents)


class Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        name = self.path.rsplit("/", 1)[-1]
        body = f"<html><title>{name}</title><h1>{name}</h1><p>Telegram @{name} 아이스 팝니다</p></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


class LoopbackSpider(scrapy.Spider):
    name = "loopback"

    def __init__(self, base: str, count: int, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.base, self.count = base, count

    async def start(self):
        for n in range(self.count):
            yield scrapy.Request(f"{self.base}/vendor/dealer_{n}", dont_filter=True)

    def parse(self, response):
        state["responses"] += 1
        if state["responses"] == self.count:
            all_downloaded.set()
        page = Page(response.url, response.body, "text/html")
        fetched = datetime.now(UTC).isoformat(timespec="seconds")
        yield PageRecord(url=response.url, site="127.0.0.1", fetched_at=fetched, status=200, page=page)


def main() -> None:
    data_dir, count = Path(sys.argv[1]), int(sys.argv[2])
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    index = HungIndex(data_dir / "index")
    pipelines.index.open_index = lambda url: index
    settings = {
        "ITEM_PIPELINES": {
            "pipelines.extraction.ExtractionPipeline": 300,
            "pipelines.vendor_store.VendorStorePipeline": 400,
            "pipelines.index.IndexPipeline": 900,
        },
        "ONIONDEX_OFF_REACTOR": True,
        "ONIONDEX_OFF_REACTOR_QUEUE": 4,  # fewer than the pages: the bound must not stall downloads either
        "ONIONDEX_EXTRACT_THREADS": 2,
        "ONIONDEX_INDEX_BATCH": 1,
        "ONIONDEX_DATA_DIR": str(data_dir),
        "ONIONDEX_INDEX_URL": "unused",
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(LoopbackSpider)
    process.crawl(crawler, base=f"http://127.0.0.1:{server.server_port}", count=count)
    process.start()
    server.shutdown()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("oniondex/")}
    written = EmbeddedIndex(data_dir / "index")
    base = f"http://127.0.0.1:{server.server_port}"
    urls = [n for n in range(count) if written.get(f"{base}/vendor/dealer_{n}")]
    store = VendorStore(data_dir / "vendors.db")
    vendors = sorted(view.name for view in store.views() if ("telegram", view.name) in view.contacts)
    store.close()
    print(json.dumps({**state, "stats": stats, "indexed": written.count(), "urls": len(urls), "vendors": vendors}))


if __name__ == "__main__":
    main()
