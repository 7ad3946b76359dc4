"""The baseline of `make bench-crawl`: a plain Scrapy spider (Scrapy's scheduler, its httpx handler, no
extraction), following each site's links through the same SOCKS proxy with the settings it is given."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess


class PlainSpider(scrapy.Spider):
    name = "plain"

    def __init__(self, seeds: str, proxy: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        with open(seeds, encoding="utf-8") as lines:
            self.start_urls = [line.strip() for line in lines if line.strip()]
        self.proxy = proxy

    async def start(self) -> Any:
        for url in self.start_urls:
            yield scrapy.Request(url, meta={"proxy": self.proxy})

    def parse(self, response: scrapy.http.Response) -> Iterator[Any]:
        yield {"url": response.url}
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, meta={"proxy": self.proxy})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("seeds")
    parser.add_argument("--proxy", required=True)
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    settings: dict[str, Any] = {
        "DOWNLOAD_HANDLERS": {
            "http": "scrapy.core.downloader.handlers._httpx.HttpxDownloadHandler",
            "https": "scrapy.core.downloader.handlers._httpx.HttpxDownloadHandler",
        },
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "ROBOTSTXT_OBEY": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
    }
    settings.update(pair.split("=", 1) for pair in args.set)
    process = CrawlerProcess(settings)
    process.crawl(PlainSpider, seeds=args.seeds, proxy=args.proxy)
    process.start()


if __name__ == "__main__":
    main()
