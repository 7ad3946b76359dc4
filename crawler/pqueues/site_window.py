"""Site-first scheduling for onion latency: a window of active sites, each crawled to the end.

Scrapy's default DownloaderAwarePriorityQueue hands out one page of every site in turn. Over Tor that
means every page pays a new connection (and, once the per-site client is gone, a new circuit), and no
site finishes until all have nearly finished. Here a site, once admitted to the window, keeps getting
its pages (up to CONCURRENT_REQUESTS_PER_DOMAIN at once, over its own kept-alive connections) until it
has nothing queued and nothing in flight; only then does it leave the window. A new site is admitted
when the engine asks for a request and no active site can give one: the engine asks only while the
downloader has a free slot and the scraper is not backed out (SCRAPER_SLOT_MAX_ACTIVE_SIZE), so admission
follows the free slots themselves. The next sites' first pages (a circuit build and a round trip or two
each) so go out while the active sites wait on their links being parsed, and dead sites waiting on Tor
hold one slot each, not the window. The window holds at most ONIONDEX_SITE_WINDOW sites (0:
CONCURRENT_REQUESTS, one slot each; the bound keeps per-site clients and queues in memory finite).
An earlier version sized the window from the crawl's own pace (sites per page/s dispatched): a slow start
kept the window, and so the pace, small (bench/crawl.py's "scheduling" showed most slots idle with
sites waiting to be admitted).

Dead sites fail fast: when a site's first outcome is a failure (site_result with down, timeout or error,
after any retries; a Tor outage is not the site's fault) the site is marked dead, its queued requests are dropped and
later ones are refused (stat oniondex/scheduler/dead_site_dropped).

Disk persistence (JOBDIR) is the same as DownloaderAwarePriorityQueue's: one ScrapyPriorityQueue per
site under `key`; close() returns {site: priorities}, which the next start passes back in.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict, deque
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.pqueues import DownloaderInterface, ScrapyPriorityQueue, _path_safe

from crawler import signals as oniondex_signals
from crawler.middlewares.dead_site import OUTAGE_GRACE

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.pqueues import QueueProtocol

logger = logging.getLogger(__name__)

# A site whose first outcome is one of these is dead for this crawl; tor_error is Tor's fault, not the site's.
DEAD_STATES = frozenset({"down", "timeout", "error"})
ANSWERED_STATES = frozenset({"up", "moved", "seized"})
# A popped request reaches the downloader's slot, and a response the spider, a moment later (through the
# middlewares): a site is not taken for done until it has looked idle this long, and a popped request counts
# as the site's until it reaches the downloader or this long has passed (a middleware may drop it).
HANDOVER_SECONDS = 1.0


class SiteWindowPriorityQueue:
    @classmethod
    def from_crawler(
        cls,
        crawler: Crawler,
        downstream_queue_cls: type[QueueProtocol],
        key: str,
        startprios: dict[str, Iterable[int]] | None = None,
        *,
        start_queue_cls: type[QueueProtocol] | None = None,
    ) -> SiteWindowPriorityQueue:
        queue = cls(crawler, downstream_queue_cls, key, startprios, start_queue_cls=start_queue_cls)
        crawler.signals.connect(queue.site_result, signal=oniondex_signals.site_result)
        crawler.signals.connect(queue.tor_outage, signal=oniondex_signals.tor_outage)
        crawler.signals.connect(queue.request_reached, signal=signals.request_reached_downloader)
        return queue

    def __init__(
        self,
        crawler: Crawler,
        downstream_queue_cls: type[QueueProtocol],
        key: str,
        slot_startprios: dict[str, Iterable[int]] | None = None,
        *,
        start_queue_cls: type[QueueProtocol] | None = None,
    ) -> None:
        if slot_startprios and not isinstance(slot_startprios, dict):
            raise ValueError("this JOBDIR was written by another priority queue: resume it with that one")
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.downstream_queue_cls = downstream_queue_cls
        self.start_queue_cls = start_queue_cls
        self.key = key
        self.per_site = max(1, settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
        self.window = settings.getint("ONIONDEX_SITE_WINDOW") or max(1, settings.getint("CONCURRENT_REQUESTS"))
        self._downloader = DownloaderInterface(crawler)
        try:
            self._engine = crawler.engine
        except RuntimeError:  # built outside a running crawl (tests)
            self._engine = None
        self.pqueues: dict[str, ScrapyPriorityQueue] = {}
        # site -> when it was last seen busy, in admission order: the oldest is served first
        self.active: OrderedDict[str, float] = OrderedDict()
        self.waiting: OrderedDict[str, None] = OrderedDict()  # sites with requests, not yet admitted
        self.started: set[str] = set()  # admitted once: a site whose new links arrive after it left comes first
        self.answered: set[str] = set()
        self.dead: set[str] = set()
        self._last_outage = float("-inf")
        # site -> when each request it gave was popped, until the request reaches the downloader's slot. The
        # engine pops many requests in one pass and each reaches the slot a loop turn later (the downloader
        # middlewares run as a task), so the slot alone would let one site take every request it has queued:
        # those beyond its CONCURRENT_REQUESTS_PER_DOMAIN then wait in the download handler, holding slots
        # other sites could use (bench/crawl.py: about a second a request at 10,000 sites).
        self._handed: dict[str, deque[float]] = {}
        self._len = 0
        for slot, startprios in (slot_startprios or {}).items():
            self.pqueues[slot] = self._pqfactory(slot, startprios)
            self.waiting[slot] = None
            self._len += len(self.pqueues[slot])

    def _pqfactory(self, slot: str, startprios: Iterable[int] = ()) -> ScrapyPriorityQueue:
        return ScrapyPriorityQueue(
            self.crawler,
            self.downstream_queue_cls,
            self.key + "/" + _path_safe(slot),
            startprios,
            start_queue_cls=self.start_queue_cls,
        )

    def push(self, request: Request) -> None:
        slot = self._downloader.get_slot_key(request)
        if slot in self.dead:
            self._count_dropped(1)
            return
        queue = self.pqueues.get(slot)
        if queue is None:
            queue = self.pqueues[slot] = self._pqfactory(slot)
            if slot not in self.active:
                self.waiting[slot] = None
                if slot in self.started:
                    self.waiting.move_to_end(slot, last=False)
        queue.push(request)
        self._len += 1

    def pop(self) -> Request | None:
        slot = self._next_slot()
        if slot is None:
            return None
        queue = self.pqueues[slot]
        request = queue.pop()
        self._len -= 1
        self._handed.setdefault(slot, deque()).append(time.monotonic())
        if not queue:
            self._discard_queue(slot)
        return request

    def peek(self) -> Request | None:
        slot = self._next_slot()
        return self.pqueues[slot].peek() if slot is not None else None

    def _next_slot(self) -> str | None:
        """The oldest active site that can take a request; else a newly admitted one; else none for now."""
        parsing: set[str] | None = None
        now = time.monotonic()
        for slot, seen_busy in list(self.active.items()):
            busy = self._downloader._active_downloads(slot) + self._on_the_way(slot, now)
            if slot in self.pqueues and busy < self.per_site:
                return slot
            if slot in self.pqueues or busy:
                self.active[slot] = now
            elif now - seen_busy > HANDOVER_SECONDS:
                parsing = self._being_parsed() if parsing is None else parsing
                if slot in parsing:
                    self.active[slot] = now
                else:
                    del self.active[slot]  # done: nothing queued, in flight or waiting for the spider
        if self.waiting and len(self.active) < self.window:
            slot, _ = self.waiting.popitem(last=False)
            self.active[slot] = now
            self.started.add(slot)
            if self.stats is not None:
                self.stats.inc_value("oniondex/scheduler/sites_admitted")
                self.stats.max_value("oniondex/scheduler/window_max", len(self.active))
            return slot
        return None

    def _on_the_way(self, slot: str, now: float) -> int:
        """Requests the site gave that have not reached the downloader yet."""
        handed = self._handed.get(slot)
        if handed is None:
            return 0
        while handed and now - handed[0] > HANDOVER_SECONDS:
            handed.popleft()
        if not handed:
            del self._handed[slot]
        return len(handed)

    def request_reached(self, request: Request) -> None:
        slot = request.meta.get("download_slot") or self._downloader.get_slot_key(request)
        handed = self._handed.get(slot)
        if handed:
            handed.popleft()
            if not handed:
                del self._handed[slot]

    def _being_parsed(self) -> set[str]:
        """Sites with responses downloaded but not yet through the spider: their links are still to come."""
        slot = getattr(getattr(self._engine, "scraper", None), "slot", None)
        if slot is None:
            return set()
        requests = [request for _, request, _ in slot.queue] + list(slot.active)
        return {self._downloader.get_slot_key(request) for request in requests}

    def pace_state(self) -> dict[str, float]:
        """The window right now, for the crawl's pace log (crawler/extensions/progress.py)."""
        queued = sum(1 for slot in self.active if slot in self.pqueues)
        in_flight = sum(1 for slot in self.active if self._downloader._active_downloads(slot))
        return {
            "window": self.window,
            "sites_active": len(self.active),
            "sites_queued": queued,  # active sites with requests to give
            "sites_in_flight": in_flight,
            "sites_waiting": len(self.waiting),  # sites with requests, not admitted yet
            "sites_dead": len(self.dead),
        }

    def tor_outage(self) -> None:
        # Requests that met the outage are retried by TorOutageMiddleware, so no site_result tells of it.
        self._outage_seen()

    def _outage_seen(self) -> None:
        now = time.monotonic()
        if now - self._last_outage >= OUTAGE_GRACE:
            logger.info("Tor outage: no site is judged dead until %.0f s after Tor answers again", OUTAGE_GRACE)
        self._last_outage = now

    def site_result(self, site: str, state: str, detail: str = "") -> None:
        if state == "tor_error":
            self._outage_seen()
        if state in ANSWERED_STATES:
            self.answered.add(site)
        elif time.monotonic() - self._last_outage < OUTAGE_GRACE:
            return  # right after a Tor outage, "unreachable" may be Tor's own state: judge sites later
        elif state in DEAD_STATES and site not in self.answered and site not in self.dead:
            self.dead.add(site)
            since = time.monotonic() - self._last_outage
            logger.info(
                "%s judged dead: first outcome %s (%s), %s",
                site,
                state,
                detail,
                f"{since:.0f} s after the last Tor outage" if since < 1e9 else "no Tor outage seen",
            )
            self.waiting.pop(site, None)
            queue = self.pqueues.get(site)
            if queue is not None:
                dropped = len(queue)
                while queue.pop() is not None:
                    pass
                self._len -= dropped
                self._count_dropped(dropped)
                self._discard_queue(site)

    def _count_dropped(self, n: int) -> None:
        if n and self.stats is not None:
            self.stats.inc_value("oniondex/scheduler/dead_site_dropped", n)

    def _discard_queue(self, slot: str) -> None:
        self.pqueues.pop(slot).close()
        self.waiting.pop(slot, None)
        if self.key:
            with suppress(OSError):
                Path(self.key, _path_safe(slot)).rmdir()

    def close(self) -> dict[str, list[int]]:
        active = {slot: queue.close() for slot, queue in self.pqueues.items()}
        self.pqueues.clear()
        return active

    def __len__(self) -> int:
        return self._len

    def __contains__(self, slot: str) -> bool:
        return slot in self.pqueues
