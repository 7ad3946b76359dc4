"""A real `oniondex crawl` sent SIGTERM while it closes ends cleanly: within a bound, with the exit code and
message designed for it, no traceback, every WARC file whole, and every page it captured in the index.

Two moments: a signal while a CLOSESPIDER_TIMEOUT close is under way (that close finishes as usual), and a
second signal during the graceful stop the first began (Scrapy's forced stop: the reactor stops mid-close).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from oniondex.cli.crawl import INTERRUPTED
from oniondex.index import SearchQuery, open_index
from tests.conftest import ROOT, SAMPLE_SEEDS

ARGS = ("--depth", "3", "--max-pages", "60", "-s", "DOWNLOAD_TIMEOUT=4")
EXIT_BOUND = 60  # seconds from the last signal to the process's end
START_BOUND = 120  # seconds for the crawl to reach the moment of the signal, on a loaded machine


@dataclass
class Stopped:
    data_dir: Path
    returncode: int
    output: str
    exit_seconds: float  # from the last signal


def crawl_stopped_at(data_dir: Path, proxy: str, *args: str, signals: list[Callable[[Path, str], bool]]) -> Stopped:
    """Crawl; SIGTERM once each of `signals` (given the data dir and the output so far) holds, in turn; wait
    for the end."""
    env = {**os.environ, "ONIONDEX_DATA_DIR": str(data_dir)}
    env.pop("ONIONDEX_INDEX_URL", None)
    command = [sys.executable, "-m", "oniondex", "crawl", str(SAMPLE_SEEDS), "--proxy", proxy, *ARGS, *args]
    child = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(child.stdout or ()), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + START_BOUND
        for moment in signals:
            while not moment(data_dir, "".join(lines)):
                assert child.poll() is None, "the crawl ended before the signal:\n" + "".join(lines[-30:])
                assert time.monotonic() < deadline, "the crawl never reached the signal:\n" + "".join(lines[-30:])
                time.sleep(0.05)
            child.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        child.wait(timeout=EXIT_BOUND)
    finally:
        if child.poll() is None:  # hung: end it and its extraction processes
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    reader.join(10)
    return Stopped(data_dir, child.returncode, "".join(lines), time.monotonic() - signalled)


def logged(text: str) -> Callable[[Path, str], bool]:
    return lambda _data_dir, output: text in output


def done(requests: int) -> Callable[[Path, str], bool]:
    return lambda data_dir, _output: requests_done(data_dir) >= requests


def requests_done(data_dir: Path) -> int:
    try:
        with sqlite3.connect(data_dir / "frontier" / "onion.db") as db:
            return db.execute("SELECT count(*) FROM requests WHERE state = 1").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.fixture(scope="module")
def during_timeout_close(socks_front, tmp_path_factory) -> Stopped:
    # Pages go on arriving after 6 s, so the close has pipelines to drain when the signal comes.
    return crawl_stopped_at(
        tmp_path_factory.mktemp("timeout"), socks_front.url, "-s", "CLOSESPIDER_TIMEOUT=6",
        signals=[logged("Closing spider (closespider_timeout)")],
    )  # fmt: skip


@pytest.fixture(scope="module")
def forced(socks_front, tmp_path_factory) -> Stopped:
    return crawl_stopped_at(
        tmp_path_factory.mktemp("forced"), socks_front.url, signals=[done(40), logged("shutting down gracefully")]
    )


def warc_targets(data_dir: Path) -> set[str]:
    """The URLs of the response and revisit records of every WARC file, each read to its end (warcio raises
    on a file cut short)."""
    urls = set()
    files = sorted((data_dir / "warc").rglob("*.warc.gz"))
    assert files
    for path in files:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type in ("response", "revisit"):
                    urls.add(record.rec_headers.get_header("WARC-Target-URI"))
                record.content_stream().read()
    return urls


def history(data_dir: Path, *types: str) -> set[str]:
    with sqlite3.connect(data_dir / "warc" / "history.sqlite") as db:
        marks = ",".join("?" * len(types))
        return {url for (url,) in db.execute(f"SELECT url FROM records WHERE type IN ({marks})", types)}


def indexed(data_dir: Path) -> set[str]:
    index = open_index(data_dir / "index")
    try:
        return {hit.url for hit in index.search(SearchQuery(limit=10_000)).hits}
    finally:
        index.close()


def assert_nothing_lost(run: Stopped) -> None:
    # Every capture the history knows of is in a WARC file that reads whole,
    assert history(run.data_dir, "response", "revisit") <= warc_targets(run.data_dir)
    # and every page that got its metadata record (it went through the pipelines) is indexed.
    pages = history(run.data_dir, "metadata")
    assert pages
    assert pages <= indexed(run.data_dir), sorted(pages - indexed(run.data_dir))[:10]


def test_a_signal_during_a_close_lets_the_close_finish(during_timeout_close):
    run = during_timeout_close
    assert run.exit_seconds < EXIT_BOUND
    assert run.returncode == 0, run.output[-3000:]
    assert "Received SIGTERM" in run.output, run.output[-3000:]  # while closing: not after the close had ended
    assert "crawl finished (closespider_timeout)" in run.output
    assert "Traceback" not in run.output, run.output[-3000:]
    assert "Spider closed (closespider_timeout)" in run.output
    assert_nothing_lost(run)


def test_a_second_signal_forces_a_quick_clean_exit(forced):
    run = forced
    assert "forcing unclean shutdown" in run.output, run.output[-3000:]
    assert run.exit_seconds < EXIT_BOUND
    assert run.returncode == INTERRUPTED, run.output[-3000:]
    assert "Traceback" not in run.output, run.output[-3000:]
    assert "the crawl was interrupted" in run.output
    assert_nothing_lost(run)
