"""The sample Telegram crawled through the private Tor network's exit relay: the client maps t.me to a
loopback stand-in behind that exit (nothing resolves or reaches the real t.me). The posts and the recrawl's
edits and deletions match the truth, and nothing but loopback was ever reached, by the crawler or by tor."""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest

from oniondex.index import open_index
from oniondex.tornet import TorNet, socks
from sample_telegram.testing import serving_telegram
from sample_telegram.world import build_world, changes
from tests.conftest import ROOT
from tests.support.sockets import PeerWatcher
from tests.telegram.test_crawl import SEEDS, SETTINGS, indexed_posts, wrong_fields

# Two whole crawls of the sample channels ride on the first test's setup: on a loaded machine they outlast the
# default 10 minutes.
pytestmark = [pytest.mark.tor, pytest.mark.timeout(1800)]
MAX_POSTS = 100  # the newest 100 per channel (the recent window the recrawl re-reads is 50)


@pytest.fixture(scope="module")
def exit_net(tornet: TorNet) -> TorNet:
    """The leg's one network (tests/tor/conftest.py), whose exit reaches the t.me stand-in only."""
    return tornet


def crawl_through_tor(net: TorNet, data_dir: Path, *args: str) -> tuple[int, str, set, set]:
    """`oniondex crawl` of the sample channels through the network's client; the TCP peers of the crawler
    and of every tor while it ran."""
    env = {**os.environ, "ONIONDEX_DATA_DIR": str(data_dir)}
    env.pop("ONIONDEX_INDEX_URL", None)
    limit = ("-s", f"ONIONDEX_TELEGRAM_MAX_POSTS={MAX_POSTS}")
    command = [
        sys.executable,
        "-m",
        "oniondex",
        "crawl",
        str(SEEDS),
        "--proxy",
        net.socks_url,
        *SETTINGS,
        *limit,
        *args,
    ]
    crawl = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with ExitStack() as stack:
        watcher = stack.enter_context(PeerWatcher(crawl.pid))
        tors = [stack.enter_context(PeerWatcher(pid, interval=0.05)) for pid in net.pids]
        output, _ = crawl.communicate(timeout=900)
    return crawl.returncode, output, watcher.peers, set().union(*(t.peers for t in tors))


@pytest.fixture(scope="module")
def crawls(exit_net, stand_in, tmp_path_factory):
    data_dir, logs = tmp_path_factory.mktemp("telegram-tor"), tmp_path_factory.mktemp("telegram-tor-logs")
    runs = {}
    for epoch in (1, 2):
        log = logs / f"telegram-{epoch}.jsonl"
        with serving_telegram(stand_in, 80, epoch=epoch, log_path=log):
            code, output, peers, tor_peers = crawl_through_tor(exit_net, data_dir)
        assert code == 0, output[-3000:]
        runs[epoch] = {
            "summary": json.loads((data_dir / "last-telegram-crawl.json").read_text(encoding="utf-8")),
            "posts": indexed_posts(data_dir),
            "log": [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()],
            "peers": peers,
            "tor_peers": tor_peers,
        }
    return data_dir, runs


def expected_posts(epoch: int) -> dict[str, dict]:
    """Each channel's newest MAX_POSTS posts: what the first crawl must recover."""
    channels = build_world(epoch=epoch).truth()["channels"]
    return {post["url"]: post for channel in channels for post in channel["posts"][-MAX_POSTS:]}


def test_first_crawl_through_the_exit_recovers_99_percent_with_every_field_right(crawls):
    _, runs = crawls
    expected, got = expected_posts(1), runs[1]["posts"]
    right = [url for url, truth in expected.items() if url in got and not wrong_fields(got[url], truth)]
    problems = {url: wrong_fields(got[url], t) if url in got else "missing" for url, t in expected.items()}
    assert len(right) / len(expected) >= 0.99, [(u, p) for u, p in problems.items() if p][:10]
    assert set(got) <= set(expected)
    assert runs[1]["summary"]["no_preview"] == ["closed_group_kr", "private_ice_vip", "restricted_news"]


def test_recrawl_through_the_exit_finds_exactly_the_truths_edits_and_deletions(crawls):
    data_dir, runs = crawls
    truth, summary = changes(build_world().seed), runs[2]["summary"]
    assert (summary["new"], summary["edited"], summary["deleted"]) == (
        len(truth["new"]), len(truth["edited"]), len(truth["deleted"]),
    )  # fmt: skip
    index = open_index(data_dir / "index")
    for channel, post_id in truth["edited"]:
        assert [v["edited"] for v in index.versions(f"https://t.me/{channel}/{post_id}")] == [False, True]
    for channel, post_id in truth["deleted"]:
        versions = index.versions(f"https://t.me/{channel}/{post_id}")
        assert versions[-1]["deleted"]
        assert versions[0]["text"]


def test_every_request_reached_the_stand_in_as_t_me(crawls):
    _, runs = crawls
    for run in runs.values():
        assert run["log"]
        assert {r["host"] for r in run["log"]} == {"t.me"}


def test_nothing_but_loopback_was_reached(exit_net, crawls):
    _, runs = crawls
    for run in runs.values():
        assert run["peers"] == {("127.0.0.1", exit_net.socks_port)}  # the crawler: Tor's SOCKS port only
        assert run["tor_peers"]
        assert all(ipaddress.ip_address(host).is_loopback for host, _ in run["tor_peers"]), run["tor_peers"]
    assert exit_net.dns is not None
    assert exit_net.dns.queries == []  # the exit resolved nothing (t.me is mapped to an address)


@pytest.mark.parametrize("host", ["example.com", "telegram.org", "127.0.0.1"])
def test_other_clearnet_hosts_are_unreachable_through_the_network(exit_net, host):
    """Only the mapped names have an exit: anything else fails at the client and asks no nameserver."""
    assert socks.socks5_connect_reply(exit_net.socks_port, host, 80, timeout=20) != socks.SUCCEEDED
    assert exit_net.dns is not None
    assert exit_net.dns.queries == []


def test_a_clearnet_link_or_seed_is_refused_under_tor(exit_net, tmp_path):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("@ice_gangnam24\nhttps://example.com/\n", encoding="utf-8")
    env = {**os.environ, "ONIONDEX_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "oniondex", "crawl", str(seeds), "--proxy", exit_net.socks_url]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert f"{seeds}:2: error:" in done.stdout + done.stderr
