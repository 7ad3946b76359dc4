"""Fixtures shared across the suite: the sample darknet, its SOCKS stand-in for Tor, and crawls of it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sample_darknet import build_world
from sample_darknet.testing import Running, running_darknet, running_socks_front

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SEEDS = ROOT / "seeds" / "sample-darknet.txt"


@pytest.fixture(scope="session")
def truth() -> dict[str, Any]:
    return build_world().truth()


@pytest.fixture(scope="session")
def darknet(tmp_path_factory: pytest.TempPathFactory) -> Running:
    with running_darknet(log_path=tmp_path_factory.mktemp("darknet") / "requests.jsonl") as running:
        yield running


@pytest.fixture(scope="session")
def socks_front(darknet: Running, tmp_path_factory: pytest.TempPathFactory) -> Running:
    with running_socks_front(darknet.url, log_path=tmp_path_factory.mktemp("socks") / "connections.jsonl") as running:
        yield running


@dataclass
class CrawlRun:
    data_dir: Path
    returncode: int
    output: str

    @property
    def summary(self) -> dict[str, Any]:
        return json.loads((self.data_dir / "last-crawl.json").read_text(encoding="utf-8"))


def run_crawl(data_dir: Path, seeds: Path, proxy: str, *args: str, timeout: float = 300) -> CrawlRun:
    """`oniondex crawl` in a child process, as a user runs it (Twisted's reactor runs once per process)."""
    env = {**os.environ, "ONIONDEX_DATA_DIR": str(data_dir)}
    env.pop("ONIONDEX_INDEX_URL", None)
    command = [sys.executable, "-m", "oniondex", "crawl", str(seeds), "--proxy", proxy, *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT, check=False)
    return CrawlRun(data_dir, done.returncode, done.stdout + done.stderr)


def sample_seeds_without(truth: dict[str, Any], statuses: set[str], path: Path) -> Path:
    """The sample seed list less the sites of these ground-truth statuses (say the link flood, whose 2,000
    links a crawl only drops at the page cap), written to `path` for a test that proves nothing on them."""
    left_out = {host for host, site in truth["sites"].items() if site["status"] in statuses}
    lines = SAMPLE_SEEDS.read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if not any(host in line for host in left_out)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def reachable_pages(truth: dict[str, Any], depth: int, max_pages: int, timeout: float) -> list[str]:
    """URLs a crawl within these caps must fetch: linked from the front page within `depth`, text, answered
    within `timeout`, on sites whose reachable pages fit under `max_pages` (capped sites are tested apart)."""
    urls = []
    for site in truth["sites"].values():
        pages = [
            p["url"]
            for p in site["pages"].values()
            if p["depth"] is not None
            and p["depth"] <= depth
            and not p["media"]
            and p["status"] == 200
            and p["delay"] < timeout
            and not p["redirect_to"]
        ]
        if len(pages) <= max_pages:
            urls.extend(pages)
    return urls
