"""The frontier stores alone: SQLite (resume after a kill) and Redis (site leases between workers)."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest
import redis

from crawler.frontier.redis_store import RedisFrontier
from crawler.frontier.sqlite_store import SqliteFrontier, stored_job_id
from crawler.frontier.store import Entry
from tests.crawl.test_redis_workers import free_port


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
