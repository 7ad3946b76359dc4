"""The onion spider: from seed sites, breadth first, staying on each site; other onions are recorded,
and followed only with ONIONDEX_DISCOVER."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.failures import SKIPPED, classify_exception, explain_exception
from crawler.responses import page_of
from crawler.signals import site_result
from oniondex.liveness import looks_seized
from oniondex.onion import is_valid_onion
from oniondex.records import PageRecord
from oniondex.seeds import Seed, load_seeds_strict


def site_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class OnionSpider(scrapy.Spider):
    name = "onion"

    def __init__(self, seeds: str | list[Seed] = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seeds: list[Seed] = load_seeds_strict(seeds) if isinstance(seeds, str) else list(seeds)
        if not self.seeds:
            raise ValueError("no seeds: pass a seed file (-a seeds=FILE) with at least one onion URL")
        self.seed_by_site = {seed.site: seed for seed in self.seeds}

    async def start(self) -> Any:
        for seed in self.seeds:
            yield self._request(seed.url, seed.site)

    def take_discovered(self, seed: Seed) -> None:
        """A site the Telegram spider found linked from a post (crawler/discovery.py): crawled like a seed."""
        self.seed_by_site.setdefault(seed.site, seed)
        self.crawler.engine.crawl(self._request(seed.url, seed.site))

    def _request(self, url: str, site: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse, errback=self.failed, cb_kwargs={"site": site})

    def parse(self, response: Response, site: str) -> Iterator[PageRecord | scrapy.Request]:
        landed = site_of(response.url)
        if landed != site:
            # A redirect took us off the site: it moved (or points elsewhere). Followed only with discovery.
            self._report(site, "moved", landed)
            if self.crawler.settings.getbool("ONIONDEX_DISCOVER") and is_valid_onion(landed):
                yield from self.parse(response, landed)
            return
        if not isinstance(response, TextResponse):
            self._report(site, "up")
            return
        page = page_of(response)  # the wall check's (crawler/middlewares/walls.py), parsed once
        self._report(site, "seized" if response.meta.get("depth", 0) == 0 and looks_seized(page.text) else "up")
        seed = self.seed_by_site.get(site)
        yield PageRecord(
            url=response.url,
            site=site,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            status=response.status,
            depth=response.meta.get("depth", 0),
            seed_tags=list(seed.tags) if seed else [],
            case=seed.case if seed else "",
            page=page,
        )
        discover = self.crawler.settings.getbool("ONIONDEX_DISCOVER")
        for link in page.links:
            host = site_of(link)
            if host == site:
                yield self._request(link, site)
            elif discover and is_valid_onion(host):
                yield self._request(link, host)

    def failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        site = request.cb_kwargs.get("site", site_of(request.url))
        state = classify_exception(failure.value)
        detail = explain_exception(failure.value, request.meta.get("redirect_times", 0))
        if state == SKIPPED:
            self.logger.debug("%s: skipped (%s)", request.url, detail)
            return
        self.logger.info("%s: %s (%s)", request.url, state, detail)
        self._report(site, state, detail)

    def _report(self, site: str, state: str, detail: str = "") -> None:
        self.crawler.signals.send_catch_log(site_result, site=site, state=state, detail=detail)
