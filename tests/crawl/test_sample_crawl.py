"""A real crawl of the sample darknet through the SOCKS stand-in, checked against the ground truth."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections import Counter

import pytest

from oniondex.index import SearchQuery, open_index
from sample_darknet.testing import running_socks_front
from tests.conftest import ROOT, SAMPLE_SEEDS, reachable_pages, run_crawl

# The slow site's pages take 5, 6.5 and 8 s: a 3 s timeout leaves them 2 s of margin (with 4 s, a reactor
# busy for a second when the 5 s page arrived took it as answered in time).
DEPTH, MAX_PAGES, TIMEOUT = 3, 60, 3


@pytest.fixture(scope="module")
def socks_front(darknet, tmp_path_factory):
    """This module's own stand-in for Tor: its connection log is this crawl's alone."""
    with running_socks_front(darknet.url, log_path=tmp_path_factory.mktemp("socks") / "log.jsonl") as running:
        yield running


@pytest.fixture(scope="module")
def crawl(socks_front, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("crawl")
    run = run_crawl(
        data_dir,
        SAMPLE_SEEDS,
        socks_front.url,
        "--depth",
        str(DEPTH),
        "--max-pages",
        str(MAX_PAGES),
        "-s",
        f"DOWNLOAD_TIMEOUT={TIMEOUT}",
    )
    assert run.returncode == 0, run.output[-3000:]
    return run


@pytest.fixture(scope="module")
def indexed(crawl):
    index = open_index(crawl.data_dir / "index")
    return {hit.url: index.get(hit.id) for hit in index.search(SearchQuery(limit=10_000)).hits}


def test_at_least_95_percent_of_reachable_pages(truth, indexed):
    expected = reachable_pages(truth, DEPTH, MAX_PAGES, TIMEOUT)
    missing = sorted(set(expected) - set(indexed))
    assert len(expected) > 200
    assert 1 - len(missing) / len(expected) >= 0.95, missing[:20]


def test_traps_and_floods_stop_at_the_cap(truth, indexed):
    per_site = Counter(doc["site"] for doc in indexed.values())
    capped = [h for h, s in truth["sites"].items() if s["status"] in ("trap", "flood")]
    assert capped
    for host in capped:
        assert 0 < per_site[host] <= MAX_PAGES, host
    assert max(per_site.values()) <= MAX_PAGES


def stored_responses(data_dir):
    from warcio.archiveiterator import ArchiveIterator

    for path in sorted(data_dir.rglob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    yield record.rec_headers.get_header("WARC-Target-URI"), record.http_headers


def test_no_media_or_binary_fetched(truth, darknet, crawl, indexed):
    media = {p["url"] for s in truth["sites"].values() for p in s["pages"].values() if p["media"]}
    telling = {url for url in media if "." in url.rsplit("/", 1)[1].split("?")[0]}
    assert telling, "the world links media by extension"
    assert media - telling, "the world has media without a telling extension"
    # Linked by a media extension: never requested at all.
    requested = {f"http://{e['host']}{e['path']}" for e in darknet.log()}
    assert not telling & requested
    # Without one: requested, aborted when its headers arrived, never stored or indexed.
    stored = dict(stored_responses(crawl.data_dir))
    assert stored, "the crawl kept its responses"
    assert not media & set(stored)
    for headers in stored.values():
        content_type = (headers.get_header("Content-Type") or "text/html").split(";")[0]
        assert content_type in ("text/html", "text/plain"), content_type
    assert not media & set(indexed)


def test_huge_and_bomb_pages_are_capped(truth, indexed):
    for status in ("huge", "bomb"):
        (host,) = [h for h, s in truth["sites"].items() if s["status"] == status]
        assert all(len(doc["text"]) < 5_000_000 for doc in indexed.values() if doc["site"] == host)


def test_dead_and_slow_sites_are_reported(truth, crawl):
    per_site = crawl.summary["per_site"]
    dead = [h for h, s in truth["sites"].items() if s["status"] == "dead"]
    assert dead
    assert all(per_site[h]["state"] == "down" for h in dead)
    (slow,) = [h for h, s in truth["sites"].items() if s["status"] == "slow"]
    too_slow = sum(p["delay"] >= TIMEOUT for p in truth["sites"][slow]["pages"].values())
    assert per_site[slow]["state"] == "up"
    assert per_site[slow]["timeouts"] >= too_slow > 0
    assert "down" in crawl.output
    assert dead[0] in crawl.output


def test_non_utf8_pages_decoded(truth, indexed):
    checked = 0
    for site in truth["sites"].values():
        for page in site["pages"].values():
            if page["encoding"] in ("euc-kr", "windows-1251") and page["url"] in indexed:
                for term in page["terms"]:
                    assert term in indexed[page["url"]]["text"], (page["url"], term)
                checked += 1
    assert checked >= 4


def connects(socks_front):
    return [e for e in socks_front.log() if e["event"] == "connect"]


def test_nothing_but_onions_asked_of_the_proxy(socks_front):
    log = connects(socks_front)
    assert log
    assert all(entry["host"].endswith(".onion") for entry in log)


def test_the_proxy_was_proven_tor_like_before_the_crawl(socks_front):
    assert socks_front.log()[0]["event"] == "http_probe"


def test_each_site_has_its_own_socks_username(socks_front):
    users_by_host: dict[str, set[str]] = {}
    for entry in connects(socks_front):
        users_by_host.setdefault(entry["host"], set()).add(entry["username"])
    assert all(len(users) == 1 for users in users_by_host.values())
    usernames = [next(iter(u)) for u in users_by_host.values()]
    assert len(set(usernames)) == len(usernames)


@pytest.mark.parametrize(("query", "title"), [("escrow", None), ("아이스", "부산 아이스 직거래")])
def test_search_cli_finds_known_pages(crawl, truth, query, title):
    env_data = str(crawl.data_dir)
    done = subprocess.run(
        [sys.executable, "-m", "oniondex", "search", query, "--limit", "50", "--index", f"{env_data}/index"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    pages = [p for s in truth["sites"].values() for p in s["pages"].values()]
    known = [
        p for p in pages if (title and p["title"] == title) or (not title and query in " ".join(p["terms"]).lower())
    ]
    assert known, "the ground truth has a page for this query"
    assert any(p["url"] in done.stdout for p in known)
    assert ".onion" in done.stdout


def test_recrawl_takes_only_due_sites(crawl, socks_front, tmp_path):
    db = sqlite3.connect(crawl.data_dir / "sites.db")
    states = dict(db.execute("SELECT site, state FROM sites"))
    db.close()
    assert list(states.values()).count("down") == 4
    env = {**os.environ, "ONIONDEX_DATA_DIR": str(crawl.data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "oniondex", "recrawl", str(SAMPLE_SEEDS), "--proxy", socks_front.url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"0 of {len(states)} sites are due" in done.stdout
