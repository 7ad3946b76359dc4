"""Three `oniondex crawl --redis` workers share one real Redis over the sample darknet, each through a SOCKS
stand-in of its own (its own Tor client): every reachable page is crawled once, each site by one worker over
one circuit; with one worker SIGKILLed mid-crawl the others take its sites when its leases run out.

The link flood is left out of the seeds: its pages are over the cap (so in no assertion), and dropping its
2,000 links one engine wake-up at a time took half of each crawl."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import pytest
import redis

from crawler import settings
from sample_darknet.testing import running_socks_front
from tests.conftest import ROOT, reachable_pages, sample_seeds_without
from tests.crawl.test_resume import captured_urls, indexed

DEPTH, MAX_PAGES, TIMEOUT, LEASE, WORKERS = 2, 30, 4, 5, 3
TOGETHER_LEASE = 30

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs Debian's redis-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 20
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
    yield url
    server.kill()
    server.wait(timeout=10)


class Workers:
    def __init__(self, root: Path, fronts: list, processes: list[subprocess.Popen]) -> None:
        self.root, self.fronts, self.processes = root, fronts, processes

    def data(self, i: int) -> Path:
        return self.root / f"worker-{i}"

    def hosts_by_worker(self) -> list[dict[str, set[str]]]:
        """Per worker: host → the SOCKS usernames (circuits) its Tor client carried it with."""
        found = []
        for front in self.fronts:
            users: dict[str, set[str]] = {}
            for entry in front.log():
                if entry["event"] == "connect":
                    users.setdefault(entry["host"], set()).add(entry["username"])
            found.append(users)
        return found

    def captures(self) -> Counter[str]:
        return sum((captured_urls(self.data(i)) for i in range(WORKERS)), Counter())


@pytest.fixture(scope="module")
def seeds(truth, tmp_path_factory) -> Path:
    return sample_seeds_without(truth, {"flood"}, tmp_path_factory.mktemp("seeds") / "seeds.txt")


def start_workers(
    redis_url: str, prefix: str, root: Path, fronts: list, seeds: Path, lease: float
) -> list[subprocess.Popen]:
    processes = []
    for i, front in enumerate(fronts):
        data = root / f"worker-{i}"
        data.mkdir(parents=True)
        env = {**os.environ, "ONIONDEX_DATA_DIR": str(data)}
        env.pop("ONIONDEX_INDEX_URL", None)
        command = [sys.executable, "-m", "oniondex", "crawl", str(seeds), "--proxy", front.url]
        command += ["--redis", redis_url, "--depth", str(DEPTH), "--max-pages", str(MAX_PAGES)]
        for setting in (
            f"DOWNLOAD_TIMEOUT={TIMEOUT}",
            f"ONIONDEX_REDIS_PREFIX={prefix}",
            f"ONIONDEX_REDIS_LEASE={lease}",
        ):
            command += ["-s", setting]
        log = (data / "worker.log").open("w")
        processes.append(subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
    return processes


def wait_all(processes: list[subprocess.Popen], root: Path) -> None:
    for i, process in enumerate(processes):
        code = process.wait(timeout=600)
        assert code in (0, -signal.SIGKILL), (root / f"worker-{i}" / "worker.log").read_text()[-3000:]


@pytest.fixture(scope="module")
def together(darknet, redis_url, seeds, tmp_path_factory):
    root = tmp_path_factory.mktemp("together")
    with ExitStack() as stack:
        fronts = [
            stack.enter_context(running_socks_front(darknet.url, log_path=root / f"socks-{i}.jsonl"))
            for i in range(WORKERS)
        ]
        # No worker dies here: the default lease, so a worker the loaded machine stalls for a few seconds
        # keeps its sites (the short lease is for the kill below).
        processes = start_workers(redis_url, "together", root, fronts, seeds, TOGETHER_LEASE)
        wait_all(processes, root)
        yield Workers(root, fronts, processes)


@pytest.fixture(scope="module")
def one_killed(darknet, redis_url, seeds, tmp_path_factory):
    root = tmp_path_factory.mktemp("killed")
    with ExitStack() as stack:
        fronts = [
            stack.enter_context(running_socks_front(darknet.url, log_path=root / f"socks-{i}.jsonl"))
            for i in range(WORKERS)
        ]
        processes = start_workers(redis_url, "killed", root, fronts, seeds, LEASE)
        workers = Workers(root, fronts, processes)
        deadline = time.monotonic() + 300
        while sum(captured_urls(workers.data(0)).values()) < 10:
            assert processes[0].poll() is None, "worker 0 ended before it could be killed"
            assert time.monotonic() < deadline, "worker 0 never got going"
            time.sleep(0.2)
        processes[0].send_signal(signal.SIGKILL)
        wait_all(processes, root)
        # The killed worker's own captures whose index batch it never committed: rebuilt from its WARC files.
        env = {**os.environ, "ONIONDEX_DATA_DIR": str(workers.data(0))}
        subprocess.run(
            [sys.executable, "-m", "oniondex", "reindex"], env=env, cwd=ROOT, check=True, capture_output=True
        )
        yield workers


def expected_pages(truth) -> set[str]:
    odd = {host for host, site in truth["sites"].items() if site["status"] in ("slow", "huge", "bomb")}
    return {url for url in reachable_pages(truth, DEPTH, MAX_PAGES, TIMEOUT) if url.split("/")[2] not in odd}


def all_indexed(workers: Workers) -> list[set[str]]:
    return [set(indexed(workers.data(i))) for i in range(WORKERS)]


def test_every_reachable_page_crawled_once(together, truth):
    expected = expected_pages(truth)
    per_worker = all_indexed(together)
    assert expected <= set().union(*per_worker)
    assert sum(len(pages & expected) for pages in per_worker) == len(expected)  # no page in two indexes
    assert max(together.captures().values()) == 1
    assert sum(bool(pages) for pages in per_worker) >= 2, "the work was shared"


def test_each_site_goes_through_one_worker_and_one_circuit(together):
    by_worker = together.hosts_by_worker()
    hosts = Counter(host for users in by_worker for host in users)
    assert hosts
    assert max(hosts.values()) == 1, [h for h, n in hosts.items() if n > 1]
    for users in by_worker:
        assert all(len(names) == 1 for names in users.values())


def test_a_killed_workers_sites_are_finished_by_the_others(one_killed, truth):
    expected = expected_pages(truth)
    assert one_killed.processes[0].returncode == -signal.SIGKILL
    assert expected <= set().union(*all_indexed(one_killed)), "nothing lost"
    by_worker = one_killed.hosts_by_worker()
    taken_over = set(by_worker[0]) & (set(by_worker[1]) | set(by_worker[2]))
    assert taken_over, "the killed worker's sites were taken over"
    twice = [url for url, n in one_killed.captures().items() if n > 1]
    # Captured twice only if the killed worker had not finished with them: its held sites' requests, and no
    # more than its request slots (the settings its crawl runs with).
    held = max(1, settings.ONIONDEX_REDIS_SITES)
    assert len(twice) <= min(settings.CONCURRENT_REQUESTS, held * MAX_PAGES), twice
