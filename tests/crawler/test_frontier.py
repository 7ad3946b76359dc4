"""The frontier stores: SQLite (resume after a kill) and Redis (site leases between workers); and the scheduler's
done marks, which wait for the WARC capture to be on disk."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
import time
from types import SimpleNamespace

import pytest
import redis
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.reactor import install_reactor, is_reactor_installed
from twisted.internet.task import Clock

from crawler.frontier.redis_store import RedisFrontier
from crawler.frontier.scheduler import WRITE_META_KEY, FrontierScheduler
from crawler.frontier.sqlite_store import DONE, PENDING, SqliteFrontier, stored_job_id
from crawler.frontier.store import Entry
from crawler.middlewares.warc_capture import CLOSE_REASON
from oniondex.evidence.errors import WarcWriteError
from oniondex.evidence.history import HISTORY_FILE, HistoryStore
from tests.crawl.test_redis_workers import free_port
from tests.evidence.test_warc_capture_middleware import URL as CAPTURE_URL
from tests.evidence.test_warc_capture_middleware import build as build_capture


def entry(n: int, site: str = "a.onion") -> Entry:
    return Entry(f"fp{n}", site, f"request {n}".encode())


def test_sqlite_keeps_what_was_committed_and_resumes_it(tmp_path):
    path = tmp_path / "onion.db"
    first = SqliteFrontier(path, "job-1")
    assert not first.resuming()
    assert first.add(entry(1))
    assert first.add(entry(2))
    assert not first.add(entry(1))  # seen
    first.done([entry(1)])
    first.flush()
    first.add(entry(3))  # not flushed: lost with the process, as a SIGKILL would
    first._db.close()  # no commit
    assert stored_job_id(path) == "job-1"
    again = SqliteFrontier(path, "job-2")
    assert again.resuming()
    assert again.job_id == "job-1"
    assert [e.fp for e in again.take()] == ["fp2"]
    assert again.take() == []
    assert not again.add(entry(1))  # the seen set survived
    assert again.done_per_site() == {"a.onion": 1}
    again.done([entry(2)])
    again.close()
    assert stored_job_id(path) == ""  # finished: the next crawl starts afresh
    fresh = SqliteFrontier(path, "job-3")
    assert not fresh.resuming()
    assert fresh.add(entry(1))


def test_sqlite_retry_makes_a_done_request_pending_again(tmp_path):
    store = SqliteFrontier(tmp_path / "onion.db", "job")
    store.add(entry(1))
    store.done([entry(1)])
    store.keep(entry(1))
    store.flush()
    assert stored_job_id(tmp_path / "onion.db") == "job"


def test_sqlite_writes_wait_for_the_flush_and_seen_is_answered_from_memory(tmp_path):
    path = tmp_path / "onion.db"
    store = SqliteFrontier(path, "job")
    changes = store._db.total_changes
    for n in range(50):
        assert store.add(entry(n))
    store.done([entry(n) for n in range(0, 50, 2)])
    assert store.seen("fp7")
    assert store._db.total_changes == changes  # nothing run on the database per request
    store.flush()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT state, COUNT(*) FROM requests GROUP BY state").fetchall() == [
            (PENDING, 25),
            (DONE, 25),
        ]
    store._db.close()  # killed
    again = SqliteFrontier(path, "job")
    assert again.seen("fp0")  # done, still seen after the restart
    assert not again.add(entry(0))
    assert len(again.take()) == 25


@pytest.fixture(scope="module")
def redis_client(tmp_path_factory):
    if shutil.which("redis-server") is None:
        pytest.skip("needs Debian's redis-server")
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, cwd=tmp_path_factory.mktemp("redis"))
    client = redis.Redis(port=port)
    for _ in range(200):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield client
    server.kill()
    server.wait(timeout=10)


def worker(client: redis.Redis, prefix: str, lease: float = 30.0, sites: int = 1) -> RedisFrontier:
    return RedisFrontier(client, prefix, lease, sites, "job")


def test_redis_one_site_one_worker(redis_client):
    a, b = worker(redis_client, "t1"), worker(redis_client, "t1")
    assert a.add(entry(1, "x.onion"))
    assert not b.add(entry(1, "x.onion"))  # one seen set
    assert b.add(entry(2, "y.onion"))
    assert [e.fp for e in a.take()] == ["fp1"]  # site-first: the first site seen
    assert [e.fp for e in b.take()] == ["fp2"]  # x.onion is leased to a
    assert a.holds("x.onion")
    assert not b.holds("x.onion")
    assert a.add(entry(3, "x.onion"))
    assert b.take() == []  # b holds its one site; x.onion stays a's
    a.done([entry(1, "x.onion"), entry(3, "x.onion")])
    a.release("x.onion")
    b.done([entry(2, "y.onion")])
    b.release("y.onion")
    assert not a.waiting_elsewhere()


def test_redis_lease_of_a_dead_worker_runs_out(redis_client):
    dead, alive = worker(redis_client, "t2", lease=0.3), worker(redis_client, "t2")
    dead.add(entry(1, "x.onion"))
    assert dead.take()
    assert alive.take() == []
    assert alive.waiting_elsewhere()  # pending, but leased: the worker waits instead of finishing
    time.sleep(0.5)  # dead stops renewing
    assert [e.fp for e in alive.take()] == ["fp1"]  # the request it had in flight is crawled again


def test_redis_leases_renewed_while_the_crawl_flushes(redis_client):
    busy, other = worker(redis_client, "t3", lease=0.3), worker(redis_client, "t3")
    busy.add(entry(1, "x.onion"))
    assert busy.take()
    for _ in range(12):  # 0.6 s, twice the lease: the renewer thread keeps it
        busy.flush()
        time.sleep(0.05)
    assert other.take() == []
    assert busy.holds("x.onion")
    time.sleep(0.5)  # no flush: a stuck crawl thread, so the lease runs out
    assert [e.fp for e in other.take()] == ["fp1"]
    busy.renew()
    assert not busy.holds("x.onion")  # found lost: given up
    busy.close()
    other.close()


def test_redis_a_link_known_here_costs_no_round_trip(redis_client, monkeypatch):
    a, b = worker(redis_client, "t4"), worker(redis_client, "t4")
    assert a.add(entry(1, "x.onion"))
    assert not b.add(entry(1, "x.onion"))  # recorded by a: Redis filters it
    commands: list[object] = []
    execute = redis_client.execute_command
    monkeypatch.setattr(
        redis_client, "execute_command", lambda *args, **kw: commands.append(args) or execute(*args, **kw)
    )
    for store in (a, b):
        assert store.seen("fp1")
        assert not store.add(entry(1, "x.onion"))
    assert commands == []
    a.close()
    b.close()


def test_redis_the_queues_of_sites_taken_together_come_in_one_round_trip(redis_client, monkeypatch):
    store = worker(redis_client, "t5", sites=3)
    for n, site in enumerate(("x.onion", "y.onion", "z.onion")):
        store.add(entry(n, site))
    commands: list[object] = []
    execute = redis_client.execute_command
    monkeypatch.setattr(
        redis_client, "execute_command", lambda *args, **kw: commands.append(args[0]) or execute(*args, **kw)
    )
    assert sorted(e.fp for e in store.take()) == ["fp0", "fp1", "fp2"]
    assert commands == ["EVALSHA"]  # the take script; the three queues' HGETALLs went in one pipeline
    assert store.seen("fp2")
    store.close()


def capturing_scheduler(tmp_path):
    """The scheduler and the WARC capture middleware of one crawler, with an engine that has nothing in flight."""
    crawler, capture = build_capture(tmp_path, SCHEDULER_PRIORITY_QUEUE="scrapy.pqueues.ScrapyPriorityQueue")
    crawler.closed = []

    def close_spider_async(reason):
        crawler.closed.append(reason)

    crawler.engine = SimpleNamespace(_slot=SimpleNamespace(inprogress=set()), close_spider_async=close_spider_async)
    if not is_reactor_installed():  # the scheduler's LoopingCall would install Twisted's default one
        install_reactor(crawler.settings["TWISTED_REACTOR"])
    scheduler = FrontierScheduler.from_crawler(crawler)
    scheduler._loop.clock = Clock()  # ticked by hand: the reactor does not run
    scheduler.open(Spider(name=crawler.spidercls.name))
    return scheduler, capture


def fetched(scheduler, capture) -> Request:
    """A request taken from the scheduler, its response through the capture middleware, finished by the engine."""
    request = Request(CAPTURE_URL)
    assert scheduler.enqueue_request(request)
    assert scheduler.next_request() is request
    capture.process_response(request, HtmlResponse(CAPTURE_URL, body=b"<html>ice</html>", request=request))
    return request


def states(tmp_path) -> list[int]:
    """What a process started after a SIGKILL would find: the frontier's committed states."""
    with sqlite3.connect(tmp_path / "frontier" / "onion.db") as db:
        return [state for (state,) in db.execute("SELECT state FROM requests")]


def captured(tmp_path) -> list[str]:
    history = HistoryStore(tmp_path / "warc" / HISTORY_FILE)  # a connection of this thread's own
    try:
        return [row.type for row in history.captures([CAPTURE_URL])]
    finally:
        history.close()


def test_a_request_is_done_only_once_its_capture_is_on_disk(tmp_path):
    scheduler, capture = capturing_scheduler(tmp_path)
    gate = threading.Event()
    capture.writer.submit(lambda _archive: gate.wait(30))  # a slow disk: the writer thread is busy
    request = fetched(scheduler, capture)
    scheduler._tick()
    scheduler._tick()
    assert states(tmp_path) == [PENDING]  # finished by the engine, but its capture is not written yet
    assert captured(tmp_path) == []
    gate.set()
    request.meta[WRITE_META_KEY].result(timeout=30)
    scheduler._tick()
    assert states(tmp_path) == [DONE]
    assert captured(tmp_path) == ["response"]


def test_a_request_whose_capture_failed_stays_pending(tmp_path):
    scheduler, capture = capturing_scheduler(tmp_path)

    gate = threading.Event()

    def full_disk(_archive):
        gate.wait(30)
        raise WarcWriteError(tmp_path, "No space left on device")

    capture.writer.submit(full_disk)
    request = fetched(scheduler, capture)
    gate.set()
    with pytest.raises(WarcWriteError, match="No space left"):
        request.meta[WRITE_META_KEY].result(timeout=30)
    scheduler.close("finished")
    capture.spider_closed(None)
    assert states(tmp_path) == [PENDING]  # fetched again on resume
    with pytest.raises(WarcWriteError):  # later responses are not taken in, and the crawl stops
        capture.process_response(Request(CAPTURE_URL), HtmlResponse(CAPTURE_URL, body=b"<html></html>"))
    assert capture.crawler.closed == [CLOSE_REASON]


def test_a_request_carrying_its_parents_write_is_kept(tmp_path):
    """A redirect's (or a retry's) copy of the meta holds its parent's pending write, a Future that cannot
    be pickled: it is left out, so the request is still kept in the frontier (on Redis, the only copy)."""
    scheduler, capture = capturing_scheduler(tmp_path)
    parent = fetched(scheduler, capture)
    redirected = parent.replace(url=CAPTURE_URL + "moved")
    assert WRITE_META_KEY in redirected.meta
    assert scheduler.enqueue_request(redirected)
    scheduler._tick()
    with sqlite3.connect(tmp_path / "frontier" / "onion.db") as db:
        kept = [data for (data,) in db.execute("SELECT data FROM requests")]
    assert len(kept) == 2  # the parent and the redirect
    assert all(kept)  # each with its request to fetch again
    assert scheduler.stats.get_value("oniondex/frontier/unserializable") is None
    scheduler.close("finished")
    capture.spider_closed(None)
