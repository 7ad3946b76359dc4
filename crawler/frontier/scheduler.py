"""Scrapy's scheduler with the frontier written through to disk (SQLite) or Redis as the crawl goes.

Scrapy's JOBDIR pickles the queue only on a clean close: a SIGKILL loses it. Here every request the crawl
accepts is first recorded in the store (the store is also the seen set: a request seen before is
filtered, as the dupefilter would), then queued in memory by the configured priority queue (site window or
Scrapy's), which keeps deciding the order. A request is done once the engine has finished with it: its
response went through the spider, its links were queued and its page record through the pipelines (and so
its WARC metadata record handed to the writer thread, warc_capture.py), and the write it left under
WRITE_META_KEY is on disk; then the store marks it done. Commits happen every FLUSH_SECONDS. After a kill,
a restart with the same store finds the pending requests (the ones queued and the ones in flight) and
queues them again; pages whose captures made it to the WARC files but whose index batch did not are
re-indexed from the WARC files before the crawl (crawler/frontier/repair.py).

With Redis (ONIONDEX_REDIS_URL) several workers share the store: a worker queues in memory only the
requests of the sites it holds a lease on, hands the others to Redis, and takes more sites when it runs
short (crawler/frontier/redis_store.py).
"""

from __future__ import annotations

import logging
import pickle
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.core.scheduler import Scheduler
from scrapy.dupefilters import BaseDupeFilter
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.request import request_from_dict
from twisted.internet import task

from crawler import signals as oniondex_signals
from crawler.frontier.store import Entry, FrontierStore
from oniondex.config import DataLayout, layout_of
from oniondex.evidence.history import HISTORY_FILE, HistoryStore

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# How often finished requests are marked done and the store committed: a SIGKILL makes at most the
# requests finished in the last FLUSH_SECONDS be fetched again.
FLUSH_SECONDS = 0.25
# A worker on Redis takes more sites when fewer requests than this are queued in its memory.
LOW_WATER = 64
# request.meta key: a Future of a write (the WARC capture) that must be on disk before the request is done.
# A write that failed leaves the request pending, to be fetched again on resume.
WRITE_META_KEY = "oniondex_pending_write"


def open_store(settings: Any, spider: str) -> FrontierStore:
    """Redis when ONIONDEX_REDIS_URL is set, else SQLite under the data dir (DataLayout.frontier_dir); each
    spider (onion, telegram) has a frontier of its own."""
    job_id = settings.get("ONIONDEX_WARC_JOB_ID", "")
    redis_url = settings.get("ONIONDEX_REDIS_URL", "")
    if redis_url:
        from crawler.frontier.redis_store import RedisFrontier

        return RedisFrontier.from_url(
            redis_url,
            prefix=f"{settings.get('ONIONDEX_REDIS_PREFIX')}:{spider}",
            lease_seconds=settings.getfloat("ONIONDEX_REDIS_LEASE"),
            max_sites=settings.getint("ONIONDEX_REDIS_SITES"),
            job_id=job_id,
        )
    from crawler.frontier.sqlite_store import SqliteFrontier

    return SqliteFrontier(frontier_path(layout_of(settings), spider), job_id)


def frontier_path(paths: DataLayout, spider: str) -> Path:
    return paths.frontier_dir / f"{spider}.db"


class FrontierScheduler(Scheduler):
    crawler: Crawler
    frontier: FrontierStore

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.df = BaseDupeFilter()  # the store is the seen set
        scheduler.crawler = crawler
        scheduler.frontier = open_store(crawler.settings, crawler.spidercls.name)
        scheduler._setup()
        crawler.signals.connect(scheduler._idle, signal=signals.spider_idle)
        return scheduler

    def _setup(self) -> None:
        self._entries: dict[Request, Entry] = {}  # queued or in flight here → (fp, site) without data
        self._claimed: list[Request] = []  # handed to the engine, not finished yet
        self._unwritten: list[Request] = []  # finished by the engine, their write not on disk yet
        self._live: Counter[str] = Counter()  # fp → its requests queued or in flight here (a retry is a 2nd)
        self._site_live: Counter[str] = Counter()
        self._loop = task.LoopingCall(self._tick)
        self.spider: Spider | None = None

    def open(self, spider: Spider) -> Any:
        opened = super().open(spider)
        self.spider = spider
        resuming = self.frontier.resuming()
        settings_job = self.crawler.settings.get("ONIONDEX_WARC_JOB_ID", "")
        if resuming and settings_job and settings_job != self.frontier.job_id:
            logger.warning("resuming job %s, but its WARC files go to job %s", self.frontier.job_id, settings_job)
        taken = self._take()
        if resuming:
            logger.info("resuming crawl job %s: %d requests still to fetch", self.frontier.job_id, taken)
            done = Counter(self.frontier.done_per_site())
            done.update(self._captured_pending())
            pending = Counter(entry.site for entry in self._entries.values())
            self.crawler.signals.send_catch_log(
                oniondex_signals.frontier_resumed, done=dict(done), pending=dict(pending)
            )
            self._inc("oniondex/frontier/resumed", taken)
        self._loop.start(FLUSH_SECONDS, now=False)
        return opened

    def close(self, reason: str) -> Any:
        if self._loop.running:
            self._loop.stop()
        self._tick()
        self._finish(self._unwritten)  # waits for their writes (the writer thread closes after the scheduler)
        self._unwritten = []
        if reason == "finished":
            # Whatever is still held was dropped on purpose (a dead site's queue): the crawl is over.
            self.frontier.done(self._entries.values())
        self.frontier.flush()
        self.frontier.close()
        return super().close(reason)

    def enqueue_request(self, request: Request) -> bool:
        site = (urlsplit(request.url).hostname or "").lower()
        fp = self.crawler.request_fingerprinter.fingerprint(request).hex()
        if not request.dont_filter and self.frontier.seen(fp):
            self._inc("dupefilter/filtered")
            return False
        entry = Entry(fp, site, self._serialized(request))
        if request.dont_filter:
            self.frontier.keep(entry)
        elif not self.frontier.add(entry):  # another worker recorded it meanwhile
            self._inc("dupefilter/filtered")
            return False
        if not self.frontier.holds(site):
            self._inc("oniondex/frontier/handed_off")
            return True  # kept in the store for the worker that holds the site
        return self._queue(request, Entry(fp, site, b""))

    def _queue(self, request: Request, entry: Entry) -> bool:
        self._entries[request] = entry
        self._live[entry.fp] += 1
        self._site_live[entry.site] += 1
        return super().enqueue_request(request)

    def next_request(self) -> Request | None:
        request = super().next_request()
        if request is not None and request in self._entries:
            self._claimed.append(request)
        return request

    def _serialized(self, request: Request) -> bytes:
        try:
            return pickle.dumps(self._as_dict(request), protocol=4)
        except (ValueError, TypeError, AttributeError, pickle.PicklingError) as exc:
            # Kept in memory only: the crawl goes on, but this request would not survive a kill.
            self._inc("oniondex/frontier/unserializable")
            logger.warning("%s is not kept in the frontier: %s", request, exc)
            return b""

    def _as_dict(self, request: Request) -> dict[str, Any]:
        """Request.to_dict, without its search of the spider's members for the callbacks (inspect.getmembers
        per request was 90% of the cost of queueing one): a spider method is named directly. A pending write
        (WRITE_META_KEY) is left out: it is this process's, and a redirect's or retry's copy of the meta
        carries its parent's, a Future that cannot be pickled."""
        if WRITE_META_KEY in request.meta:
            request = request.replace(meta={k: v for k, v in request.meta.items() if k != WRITE_META_KEY})
        callbacks = {}
        for name in ("callback", "errback"):
            method = getattr(request, name)
            if method is not None and getattr(method, "__self__", None) is not self.spider:
                return request.to_dict(spider=self.spider)
            callbacks[name] = method.__name__ if method is not None else None
        return {**request.replace(callback=None, errback=None).to_dict(), **callbacks}

    def _take(self) -> int:
        taken = 0
        assert self.spider is not None
        for entry in self.frontier.take():
            if not entry.data:
                continue
            request = request_from_dict(pickle.loads(entry.data), spider=self.spider)  # noqa: S301 (our own store)
            self._queue(request, Entry(entry.fp, entry.site, b""))
            taken += 1
        return taken

    def _captured_pending(self) -> Counter[str]:
        """Per site, the requests queued again whose page the killed run had already made a record of (its
        WARC metadata record is in the history) but had not marked done yet: fetched, so they count under the
        site's page cap (their fetch again is the in-flight one's)."""
        history = layout_of(self.crawler.settings).warc_dir / HISTORY_FILE
        if not self.crawler.settings.getbool("ONIONDEX_WARC_ENABLED") or not history.exists():
            return Counter()
        store = HistoryStore(history)
        try:
            pages = store.pages_of_job(self.frontier.job_id)
        finally:
            store.close()
        return Counter(entry.site for request, entry in self._entries.items() if request.url in pages)

    def _tick(self) -> None:
        """Mark requests the engine has finished with done, commit, and take more sites if short."""
        slot = getattr(self.crawler.engine, "_slot", None)
        # Scrapy keeps a request in the engine slot's `inprogress` until its response has been through
        # the spider and its items through the pipelines; there is no signal for that moment.
        inprogress = slot.inprogress if slot is not None else set()
        finished = [request for request in self._claimed if request not in inprogress]
        if finished:
            self._claimed = [request for request in self._claimed if request in inprogress]
        waiting = self._unwritten + finished
        self._unwritten = [request for request in waiting if not _settled(request)]
        self._finish([request for request in waiting if _settled(request)])
        self.frontier.flush()
        if len(self) < LOW_WATER and self.spider is not None:
            self._take()

    def _finish(self, requests: list[Request]) -> None:
        done: list[Entry] = []
        released: list[str] = []
        for request in requests:
            entry = self._entries.pop(request)
            self._live[entry.fp] -= 1
            if not self._live[entry.fp]:
                del self._live[entry.fp]
                if _written(request):
                    done.append(entry)
            self._site_live[entry.site] -= 1
            if not self._site_live[entry.site]:
                del self._site_live[entry.site]
                released.append(entry.site)
        self.frontier.done(done)  # before the release: a site with nothing pending leaves the store
        for site in released:
            self.frontier.release(site)
        self._inc("oniondex/frontier/done", len(done))

    def _idle(self, spider: Spider) -> None:
        self._tick()
        if not len(self) and not self._claimed and not self._unwritten and self._entries:
            # Nothing queued or in flight, yet requests held: the priority queue dropped them (a dead site).
            self._finish(list(self._entries))
        if len(self) or self.frontier.waiting_elsewhere():
            raise DontCloseSpider  # sites other workers hold (or will give back) still have requests

    def _inc(self, key: str, count: int = 1) -> None:
        if count and self.stats is not None:
            self.stats.inc_value(key, count)


def _settled(request: Request) -> bool:
    write = request.meta.get(WRITE_META_KEY)
    return write is None or write.done()


def _written(request: Request) -> bool:
    """Whether the request's write (if any) succeeded: a settled one, or one waited for."""
    write = request.meta.get(WRITE_META_KEY)
    return write is None or write.exception() is None
