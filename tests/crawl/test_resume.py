"""A real `oniondex crawl` killed with SIGKILL mid-way and started again on the same data dir continues: its
final index equals an uninterrupted crawl's, no page is captured twice outside the ones in flight, none is
missing, and every capture is in the one job's WARC files."""

from __future__ import annotations

import os
import pickle
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from oniondex.index import SearchQuery, open_index
from sample_darknet.testing import running_socks_front
from tests.conftest import ROOT, SAMPLE_SEEDS, reachable_pages, run_crawl

DEPTH, MAX_PAGES, TIMEOUT = 3, 60, 4
ARGS = ("--depth", str(DEPTH), "--max-pages", str(MAX_PAGES), "-s", f"DOWNLOAD_TIMEOUT={TIMEOUT}")
KILL_AFTER = 80  # requests finished (marked done in the frontier) before the kill, of the 200-odd reachable


@pytest.fixture(scope="module")
def socks_front(darknet, tmp_path_factory):
    with running_socks_front(darknet.url, log_path=tmp_path_factory.mktemp("socks") / "log.jsonl") as running:
        yield running


def captured_urls(data_dir: Path) -> Counter[str]:
    """Response and revisit captures per URL, from the WARC history (written as each capture is)."""
    history = data_dir / "warc" / "history.sqlite"
    if not history.exists():
        return Counter()
    with sqlite3.connect(history) as db:
        try:
            rows = db.execute("SELECT url FROM records WHERE type IN ('response', 'revisit')").fetchall()
        except sqlite3.OperationalError:  # the crawl is still creating it
            return Counter()
    return Counter(url for (url,) in rows)


def finished_requests(data_dir: Path) -> int:
    """Requests the frontier has marked done. Not captures: a page is done only once its record is through the
    pipelines, which lag the downloads while the first pages warm them up (a kill then re-fetches them all)."""
    store = data_dir / "frontier" / "onion.db"
    if not store.exists():
        return 0
    try:
        with sqlite3.connect(store) as db:
            return db.execute("SELECT count(*) FROM requests WHERE state = 1").fetchone()[0]
    except sqlite3.OperationalError:  # the crawl is still creating it
        return 0


def finished_urls(data_dir: Path) -> set[str]:
    """The URLs of the requests the frontier has marked done."""
    with sqlite3.connect(data_dir / "frontier" / "onion.db") as db:
        rows = db.execute("SELECT data FROM requests WHERE state = 1").fetchall()
    return {pickle.loads(data)["url"] for (data,) in rows if data}


def indexed(data_dir: Path) -> dict[str, dict]:
    index = open_index(data_dir / "index")
    try:
        return {hit.url: index.get(hit.id) for hit in index.search(SearchQuery(limit=10_000)).hits}
    finally:
        index.close()


@pytest.fixture(scope="module")
def whole(socks_front, tmp_path_factory):
    run = run_crawl(tmp_path_factory.mktemp("whole"), SAMPLE_SEEDS, socks_front.url, *ARGS)
    assert run.returncode == 0, run.output[-3000:]
    return run


@pytest.fixture(scope="module")
def resumed(socks_front, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("killed")
    env = {**os.environ, "ONIONDEX_DATA_DIR": str(data_dir)}
    env.pop("ONIONDEX_INDEX_URL", None)
    command = [sys.executable, "-m", "oniondex", "crawl", str(SAMPLE_SEEDS), "--proxy", socks_front.url, *ARGS]
    child = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while finished_requests(data_dir) < KILL_AFTER and child.poll() is None:
        assert time.monotonic() < deadline, "the crawl captured too little to be killed mid-way"
        time.sleep(0.2)
    assert child.poll() is None, "the crawl ended before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    before, finished = captured_urls(data_dir), finished_urls(data_dir)
    run = run_crawl(data_dir, SAMPLE_SEEDS, socks_front.url, *ARGS)
    assert run.returncode == 0, run.output[-3000:]
    return run, before, finished


def deterministic(truth) -> set[str]:
    """Reachable pages of sites whose pages do not depend on timing or size caps (not the slow site, not the
    huge and bomb pages' sites; capped sites are not in reachable_pages)."""
    odd = {host for host, site in truth["sites"].items() if site["status"] in ("slow", "huge", "bomb")}
    return {url for url in reachable_pages(truth, DEPTH, MAX_PAGES, TIMEOUT) if url.split("/")[2] not in odd}


def test_the_kill_was_mid_way_and_the_restart_resumed_it(resumed, truth):
    # Mid-way by what the frontier had finished with, which the restart resumes from: captures run ahead of
    # it (a request is done only once its page is through the pipelines and its capture on disk), and on a
    # quiet machine a crawl can have fetched every page before its 80th is done.
    run, before, finished = resumed
    assert len(before) >= KILL_AFTER
    assert KILL_AFTER <= len(finished) < len(deterministic(truth))
    resuming = re.search(r"resuming crawl job \S+: (\d+) requests still to fetch", run.output)
    assert resuming, run.output[-3000:]
    assert int(resuming.group(1)) > 0
    jobs = [path.name for path in (run.data_dir / "warc").iterdir() if path.is_dir()]
    assert len(jobs) == 1, jobs  # the resumed crawl wrote on under the same job id


def test_the_final_index_equals_an_uninterrupted_crawls(resumed, whole, truth):
    run, _, _ = resumed
    expected = deterministic(truth)
    after, uninterrupted = indexed(run.data_dir), indexed(whole.data_dir)
    assert expected <= set(uninterrupted)
    assert set(after) & expected == set(uninterrupted) & expected, sorted(expected ^ set(after))[:10]
    for url in expected:
        assert after[url]["text"] == uninterrupted[url]["text"], url
        assert after[url]["depth"] == uninterrupted[url]["depth"], url
    per_site = Counter(doc["site"] for doc in after.values())
    assert max(per_site.values()) <= MAX_PAGES  # the page cap went on counting from the first run


def test_no_page_captured_twice_but_the_ones_in_flight(resumed, whole):
    run, before, finished = resumed
    assert len(finished) >= KILL_AFTER
    usual = captured_urls(whole.data_dir)  # a page two redirects lead to is captured twice by any crawl
    twice = {url: n for url, n in captured_urls(run.data_dir).items() if n > max(1, usual[url])}
    assert set(twice) <= set(before)  # only pages of the killed run are fetched again,
    assert not set(twice) & finished, sorted(set(twice) & finished)[:10]  # and none it had finished with


def test_every_capture_is_indexed(resumed):
    run, _, _ = resumed
    text_captures = set(captured_urls(run.data_dir))
    assert text_captures - set(indexed(run.data_dir)) <= non_page_captures(run.data_dir)


def non_page_captures(data_dir: Path) -> set[str]:
    """Captures the spider made no page record of (redirects, error statuses)."""
    with sqlite3.connect(data_dir / "warc" / "history.sqlite") as db:
        captured = {url for (url,) in db.execute("SELECT url FROM records WHERE type IN ('response', 'revisit')")}
        pages = {url for (url,) in db.execute("SELECT url FROM records WHERE type = 'metadata'")}
    return captured - pages
