"""The member-only sample sites, their truth, and crawls of them with and without investigator sessions."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from oniondex.index import SearchQuery, open_index
from sample_darknet import build_world
from sample_darknet.members import AGORA, LANTERN, VAULT, member_truth
from sample_darknet.testing import Running, running_darknet, running_socks_front
from tests.conftest import ROOT, CrawlRun, run_crawl

KEY = "a passphrase only the tests know"
MEMBER_SITES = (VAULT, AGORA, LANTERN)


@pytest.fixture(scope="session")
def members() -> dict[str, Any]:
    return member_truth(build_world())


@pytest.fixture(scope="module")
def member_darknet(tmp_path_factory: pytest.TempPathFactory) -> Running:
    """This module's own server: its request log holds this module's crawls alone."""
    with running_darknet(log_path=tmp_path_factory.mktemp("members") / "requests.jsonl") as running:
        yield running


@pytest.fixture(scope="module")
def member_socks(member_darknet: Running) -> Running:
    with running_socks_front(member_darknet.url) as running:
        yield running


def oniondex(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ONIONDEX_DATA_DIR": str(data_dir), "ONIONDEX_SESSION_KEY": KEY}
    command = [sys.executable, "-m", "oniondex", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, check=False)


def cookies_txt(path: Path, host: str, cookies: dict[str, str]) -> Path:
    """A Netscape cookies.txt as Tor Browser's exporters write it (0: a session cookie)."""
    lines = ["# Netscape HTTP Cookie File"] + [f"{host}\tFALSE\t/\tFALSE\t0\t{k}\t{v}" for k, v in cookies.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def seed_file(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class MemberCrawl(CrawlRun):
    started: float = 0.0  # the server log's clock: entries of this crawl are at or after it


def crawl(data_dir: Path, seeds: Path, socks: Running) -> MemberCrawl:
    started = time.time()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ONIONDEX_SESSION_KEY", KEY)  # run_crawl hands its environment to the crawl
        run = run_crawl(data_dir, seeds, socks.url, "--depth", "3", "-s", "ONIONDEX_SESSION_DELAY=0.05", timeout=240)
    assert run.returncode == 0, run.output[-3000:]
    return MemberCrawl(run.data_dir, run.returncode, run.output, started)


def indexed_urls(data_dir: Path) -> dict[str, str]:
    index = open_index(data_dir / "index")
    return {hit.url: hit.site for hit in index.search(SearchQuery(limit=10_000)).hits}
