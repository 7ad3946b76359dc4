"""Work the pipelines hand off the Twisted reactor thread, so a heavy page or a slow index never holds up
the downloads the reactor drives.

`Offload` runs calls on its own thread pool. At most `limit` calls wait or run at once: past that,
`submit` and `queued` hand back Deferreds that fire only once there is room, so Scrapy's scraper holds the
responses and stops taking new ones (SCRAPER_SLOT_MAX_ACTIVE_SIZE) instead of memory growing. Calls that
share a key run one after the other in submission order (a pool of one thread runs everything in order).
`drain()` fires once everything submitted has finished: the pipelines wait on it in `close_spider`.

With `threads=0` there is no pool and every call runs at once on the caller's thread (reindex, unit tests).

`OffloadedStorePipeline` is the lifecycle the store-writing pipelines share: open the store and start the
pool at `open_spider`, queue each write in arrival order, close the store once every write has finished.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Hashable
from typing import Any, TypeVar

from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.reactor import is_reactor_installed
from twisted.internet import defer
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

logger = logging.getLogger(__name__)

T = TypeVar("T")


class Offload:
    def __init__(self, name: str, threads: int, limit: int) -> None:
        if threads < 0 or limit < 1:
            raise ValueError(f"{name}: threads must be >= 0 and the queue limit >= 1 (got {threads}, {limit})")
        self.name = name
        self.pool = ThreadPool(minthreads=threads, maxthreads=threads, name=name) if threads else None
        self._room = defer.DeferredSemaphore(limit)
        self._tails: dict[Hashable, defer.Deferred[None]] = {}  # key → fires when its last call has finished
        self._running = 0  # calls submitted and not finished
        self._idle: list[defer.Deferred[None]] = []  # drain() callers, fired when `_running` reaches 0

    @property
    def inline(self) -> bool:
        return self.pool is None

    def start(self, at_exit: Callable[[], object] | None = None) -> None:
        """Start the pool. Should the reactor stop before `stop()` (a second stop signal stops it mid-close),
        the calls already on the pool run, then `at_exit()`, then the threads end: they are not daemon
        threads, and waiting for work that no longer comes they would keep the process alive for ever."""
        if self.pool is not None and not self.pool.started:
            self.pool.start()
            at_reactor_stop(self._reactor_stopped, at_exit)

    def submit(self, call: Callable[..., T], *args: Any, key: Hashable = None) -> defer.Deferred[T]:
        """`call(*args)` on the pool; fires with its result (or failure) once it has run."""
        return self._submit(self._room.acquire(), call, args, key)

    def queued(self, call: Callable[..., object], *args: Any, key: Hashable = None) -> defer.Deferred[None]:
        """`call(*args)` on the pool, fire-and-forget: fires as soon as the call has its place in the queue
        (at once unless the queue is full). A failure of the call is logged, as Scrapy logs an item's."""
        room = self._room.acquire()
        placed: defer.Deferred[None] = defer.Deferred()
        room.addCallback(lambda token: (placed.callback(None), token)[1])
        self._submit(room, call, args, key).addErrback(self._log_failure)
        return placed

    def _submit(
        self, room: defer.Deferred[Any], call: Callable[..., T], args: tuple[Any, ...], key: Hashable
    ) -> defer.Deferred[T]:
        from twisted.internet import reactor

        assert self.pool is not None, "an inline Offload runs nothing: check `inline` first"
        pool = self.pool
        done: defer.Deferred[None] = defer.Deferred()
        previous = self._tails.get(key) if key is not None else None
        if key is not None:
            self._tails[key] = done
        ready = defer.gatherResults([room, _after(previous)])
        result: defer.Deferred[T] = ready.addCallback(lambda _: deferToThreadPool(reactor, pool, call, *args))

        def finished(outcome: Any) -> Any:
            self._room.release()
            if key is not None and self._tails.get(key) is done:
                del self._tails[key]
            done.callback(None)
            self._running -= 1
            if not self._running:
                idle, self._idle = self._idle, []
                for waiter in idle:
                    waiter.callback(None)
            return outcome

        self._running += 1
        return result.addBoth(finished)

    def drain(self) -> defer.Deferred[None]:
        """Fires once every call submitted so far (and any they queue meanwhile) has finished."""
        if not self._running:
            return defer.succeed(None)
        waiter: defer.Deferred[None] = defer.Deferred()
        self._idle.append(waiter)
        return waiter

    def stop(self) -> None:
        if self.pool is not None and self.pool.started:
            self.pool.stop()

    def _reactor_stopped(self, at_exit: Callable[[], object] | None) -> None:
        if self.pool is None or not self.pool.started:  # stopped by the close, as usual
            return
        if at_exit is not None:
            self.pool.callInThread(at_exit)
        self.pool.stop()

    def _log_failure(self, failure: Any) -> None:
        logger.error("%s: %s", self.name, failure.getErrorMessage(), exc_info=failure.value)


class OffloadedStorePipeline:
    """A pipeline writing to one store on an `Offload` of its own: `open_store()` at open_spider, writes
    queued with `offloaded()`, `close_store()` on the pool once every write is done, then the pool stops.
    With an inline Offload everything runs at once on the caller's thread."""

    offload_name = "store"

    def __init__(self, offload: Offload | None = None) -> None:
        self.offload = offload or Offload(self.offload_name, threads=0, limit=1)

    def open_store(self) -> None:
        raise NotImplementedError

    def close_store(self) -> None:
        raise NotImplementedError

    def exit_store(self) -> None:
        """The close when the reactor stopped before the crawl's close (a forced stop): the store's."""
        self.close_store()

    def open_spider(self, spider: Any = None) -> None:
        self.open_store()
        self.offload.start(at_exit=self.exit_store)

    def close_spider(self, spider: Any = None) -> Coroutine[Any, Any, None] | None:
        if self.offload.inline:
            self.close_store()
            return None
        closed = self.offload.drain().addBoth(lambda _: self.offload.submit(self.close_store))
        return settled(closed.addBoth(self._stop))

    def offloaded(self, item: T, call: Callable[..., object], *args: Any) -> T | Coroutine[Any, Any, T]:
        """`call(*args)` queued behind the earlier writes; `item` back once it has its place in the queue
        (at once when inline, after the call has run)."""
        if self.offload.inline:
            call(*args)
            return item
        return settled(self.offload.queued(call, *args).addCallback(lambda _: item))

    def _stop(self, outcome: Any) -> Any:
        self.offload.stop()
        return outcome


async def settled(result: defer.Deferred[T]) -> T:
    """A Deferred as the coroutine Scrapy wants back from a pipeline method (it deprecates Deferreds)."""
    return await maybe_deferred_to_future(result)


def _after(previous: defer.Deferred[None] | None) -> defer.Deferred[None]:
    """A Deferred of our own that fires once `previous` (a key's last `done`) has fired."""
    if previous is None:
        return defer.succeed(None)
    ready: defer.Deferred[None] = defer.Deferred()
    previous.addCallback(lambda _: ready.callback(None))
    return ready


def at_reactor_stop(call: Callable[..., object], *args: Any) -> None:
    """`call(*args)` once the reactor has stopped. Without a reactor (unit tests) nothing: importing one here
    would install Twisted's default instead of the crawl's."""
    if is_reactor_installed():
        from twisted.internet import reactor

        reactor.addSystemEventTrigger("after", "shutdown", call, *args)


def offload_from_settings(settings: Any, name: str, threads: int) -> Offload:
    """`threads` of its own when ONIONDEX_OFF_REACTOR is on (crawler/settings.py), inline otherwise."""
    on = settings.getbool("ONIONDEX_OFF_REACTOR", False)
    return Offload(name, threads if on else 0, settings.getint("ONIONDEX_OFF_REACTOR_QUEUE", 256))
