"""A stop that finds the spider already closing waits for that close to end.

A stop signal (SIGTERM, Ctrl-C) while the spider closes (after CLOSESPIDER_TIMEOUT, a WARC write failure,
a Tor outage) makes Scrapy stop the engine; its own close then only waits for the requests in flight, and
the engine reports itself stopped, so the reactor stops while the pipelines drain and before the
spider_closed handlers (the WARC writer, the summary) have run. Holding `engine_stopped` until the close
under way has ended keeps that close whole; a second signal still stops the reactor at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

# The engine says only by its `spider` (None once the close has ended) that a close is over: looked at this often.
POLL = 0.1


class CloseWait:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CloseWait:
        ext = cls(crawler)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    async def engine_stopped(self) -> None:
        from twisted.internet import reactor

        engine = self.crawler.engine
        while engine is not None and engine.spider is not None:
            await maybe_deferred_to_future(task.deferLater(reactor, POLL, lambda: None))
