"""The sample darknet crawled through a real Tor client, as real onion services: the ground truth holds,
every site rides its own circuit, and the crawler talks to nothing but Tor, even while Tor is dead.

The link flood is left out of the seeds: its pages are over the cap (so in no assertion), and dropping its
2,000 links one engine wake-up at a time kept each crawl going long after the other sites were done."""

from __future__ import annotations

import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
from collections import defaultdict

import pytest

from oniondex.index import SearchQuery, open_index
from tests.conftest import ROOT, reachable_pages, sample_seeds_without
from tests.support.sockets import PeerWatcher

pytestmark = pytest.mark.tor

DEPTH, MAX_PAGES, TIMEOUT = 2, 40, 4
PROXY_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


class Twin(socketserver.ThreadingTCPServer):
    """A listener standing in for the clearnet: every proxy variable of the crawler's environment points at
    it, so a request that went around Tor would land here."""

    def __init__(self) -> None:
        self.seen: list[bytes] = []
        twin = self

        class Record(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                twin.seen.append(self.request.recv(1024))

        super().__init__(("127.0.0.1", 0), Record)
        threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def twin():
    server = Twin()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def seeds(truth, tmp_path_factory):
    return sample_seeds_without(truth, {"flood"}, tmp_path_factory.mktemp("seeds") / "seeds.txt")


def start_crawl(data_dir, proxy, twin, seeds):
    env = {**os.environ, "ONIONDEX_DATA_DIR": str(data_dir)}
    env.update(dict.fromkeys(PROXY_ENV, f"http://127.0.0.1:{twin.server_address[1]}"))
    command = [
        sys.executable,
        "-m",
        "oniondex",
        "crawl",
        str(seeds),
        "--proxy",
        proxy,
        "--depth",
        str(DEPTH),
        "--max-pages",
        str(MAX_PAGES),
        "-s",
        f"DOWNLOAD_TIMEOUT={TIMEOUT}",
        "-s",
        "ONIONDEX_TOR_OUTAGE_FIRST_WAIT=1",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def indexed_urls(data_dir):
    index = open_index(data_dir / "index")
    return {hit.url for hit in index.search(SearchQuery(limit=10_000)).hits}


def missing_pages(truth, data_dir):
    """The reachable pages the crawl did not index, and how many pages are reachable."""
    expected = set(reachable_pages(truth, DEPTH, MAX_PAGES, TIMEOUT))
    return sorted(expected - indexed_urls(data_dir)), len(expected)


@pytest.fixture(scope="module")
def tor_crawl(tornet, twin, seeds, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("tor-crawl")
    with tornet.controller() as control:
        control.set_events("STREAM")
        crawl = start_crawl(data_dir, tornet.socks_url, twin, seeds)
        with PeerWatcher(crawl.pid) as watcher:
            output, _ = crawl.communicate(timeout=600)
        events = control.drain_events()
    (data_dir / "crawl.log").write_text(output, encoding="utf-8")  # kept for diagnosis: pytest --basetemp
    assert crawl.returncode == 0, output[-3000:]
    return data_dir, output, watcher.peers, events


def test_crawl_through_tor_matches_the_truth(truth, tor_crawl):
    data_dir, output, _, _ = tor_crawl
    missing, expected = missing_pages(truth, data_dir)
    assert len(missing) <= 0.05 * expected, f"{len(missing)} of {expected} pages missing: {missing[:20]}"
    dead = [h for h, s in truth["sites"].items() if s["status"] == "dead"]
    for host in dead:
        assert f"down  {host}" in output


def test_each_site_on_its_own_circuits(tor_crawl):
    *_, events = tor_crawl
    circuits_by_site: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.type == "STREAM" and event.args[1] == "SUCCEEDED":
            circuits_by_site[event.args[3].rsplit(":", 1)[0]].add(event.args[2])
    assert len(circuits_by_site) >= 10
    owners: dict[str, str] = {}
    for site, circuits in circuits_by_site.items():
        for circuit in circuits:
            assert owners.setdefault(circuit, site) == site, f"circuit {circuit} carried two sites"


def test_the_crawler_talked_only_to_tor(tornet, twin, tor_crawl):
    _, _, peers, _ = tor_crawl
    assert peers == {("127.0.0.1", tornet.socks_port)}
    assert twin.seen == []


def test_tor_killed_mid_crawl(tornet, twin, darknet, truth, seeds, tmp_path):
    before = len(darknet.log())
    crawl = start_crawl(tmp_path, tornet.socks_url, twin, seeds)
    with PeerWatcher(crawl.pid) as watcher:
        deadline = time.monotonic() + 120
        while len(darknet.log()) < before + 15 and crawl.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert crawl.poll() is None, "the crawl ended before Tor could be killed"
        tornet.stop_client(signal.SIGKILL)
        time.sleep(3)
        tornet.start_client()
        output, _ = crawl.communicate(timeout=600)
    # Kept for diagnosis (the grace's start and end, each dead verdict's cause and age): pytest --basetemp
    (tmp_path / "crawl.log").write_text(output, encoding="utf-8")
    assert crawl.returncode == 0, output[-3000:]
    assert "Tor proxy unreachable" in output
    assert watcher.peers <= {("127.0.0.1", tornet.socks_port)}
    assert twin.seen == []
    missing, expected = missing_pages(truth, tmp_path)
    assert len(missing) <= 0.05 * expected, f"{len(missing)} of {expected} pages missing: {missing[:20]}"
