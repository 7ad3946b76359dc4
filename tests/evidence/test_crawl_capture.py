"""Real `oniondex crawl` subprocesses through a SOCKS stand-in, twice, with one page changed between:
what the WARC files, the history, an export and a reindex then show."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from oniondex.evidence.history import HISTORY_FILE, HistoryStore
from oniondex.evidence.warcfile import warc_files
from oniondex.index import SearchQuery, open_index
from tests.evidence.loopback import ONION, OTHER, running_world, sample_world

ROOT = Path(__file__).resolve().parents[2]
WARCIO = Path(sys.executable).parent / "warcio"
QUERIES = ("escrow", "vendor", "crystal", "market", "")


def oniondex(data: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ONIONDEX_INDEX_URL"}
    env["ONIONDEX_DATA_DIR"] = str(data)
    command = [sys.executable, "-m", "oniondex", *args]
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Two crawls into one data dir; /changing differs between them. Returns (data dir, SOCKS hosts)."""
    data = tmp_path_factory.mktemp("data")
    seeds = data / "seeds.txt"
    seeds.write_text(f"http://{ONION}/ tags=market case=T-1\nhttp://{OTHER}/ tags=forum\n", encoding="utf-8")
    world = sample_world()
    with running_world(world) as running:
        for body in ("Ice 1g for 100 dollars, vendor kimchi", "Ice 1g for 90 dollars now, vendor kimchi"):
            world.html(ONION, "/changing", body)
            done = oniondex(data, "crawl", str(seeds), "--proxy", running.proxy, "-s", "ONIONDEX_PROGRESS_INTERVAL=0")
            assert done.returncode == 0, done.stdout + done.stderr[-3000:]
        return data, list(running.socks.hosts), list(running.http.requests)


def records(data: Path) -> list[tuple[str, str, bytes, dict[str, str]]]:
    found = []
    for path in warc_files(data / "warc"):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                http = dict(record.http_headers.headers) if record.http_headers else {}
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                found.append((record.rec_type, uri, record.raw_stream.read(), http))
    return found


def test_every_fetch_is_in_one_job_folder_per_crawl_and_warcio_check_passes(crawled):
    data, hosts, _ = crawled
    files = warc_files(data / "warc")
    assert len({path.parent.name for path in files}) == 2
    assert set(hosts) == {ONION, OTHER}  # everything went through the SOCKS front
    checked = subprocess.run([WARCIO, "check", "-v", *files], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout
    assert "digest pass" in checked.stdout
    indexed = subprocess.run([WARCIO, "index", *files], capture_output=True, text=True, check=False)
    assert indexed.returncode == 0


def test_responses_are_kept_as_received_and_skipped_media_is_not(crawled):
    data, _, served = crawled
    kept = records(data)
    captured = {(uri, kind) for kind, uri, _, _ in kept if kind in ("response", "revisit")}
    fetched = {(f"http://{host}{path}") for host, path in served}
    # Every fetch that came back is kept: the aborted binary and the never-requested image are not.
    assert {uri for uri, _ in captured} == fetched - {f"http://{ONION}/blob"}
    assert f"http://{ONION}/logo.jpg" not in fetched
    zipped = next(body for kind, uri, body, _ in kept if kind == "response" and uri.endswith("/zipped"))
    assert zipped[:2] == b"\x1f\x8b"  # still gzip: the bytes that came over the wire
    assert b"crystal" in gzip.decompress(zipped)
    assert any(kind == "response" and uri.endswith("/old") for kind, uri, _, _ in kept)  # the 301 too


def test_changed_page_has_two_versions_and_unchanged_one_is_seen_twice(crawled):
    data, _, _ = crawled
    store = HistoryStore(data / "warc" / HISTORY_FILE)
    changed, stable = store.versions(f"http://{ONION}/changing"), store.versions(f"http://{ONION}/stable")
    store.close()
    assert [v.times_seen for v in changed] == [1, 1]
    assert changed[0].sha256 != changed[1].sha256
    assert changed[0].last_seen < changed[1].first_seen
    assert [(v.times_seen, v.first_seen < v.last_seen) for v in stable] == [(2, True)]
    kinds = [kind for kind, uri, _, _ in records(data) if uri == f"http://{ONION}/stable"]
    assert kinds.count("response") == 1
    assert kinds.count("revisit") == 1
    shown = oniondex(data, "evidence", "history", "--url", f"http://{ONION}/changing")
    assert shown.returncode == 0
    assert "(2 versions)" in shown.stdout


def test_export_of_one_address_verifies_and_one_changed_byte_is_named(crawled, tmp_path):
    data, _, _ = crawled
    out = tmp_path / "case"
    made = oniondex(data, "evidence", "export", "--url", f"http://{ONION}/changing", "--out", str(out))
    assert made.returncode == 0, made.stdout + made.stderr[-2000:]
    assert oniondex(data, "evidence", "verify", str(out)).returncode == 0
    warc = out / "captures.warc.gz"
    checked = subprocess.run([WARCIO, "check", warc], capture_output=True, text=True, check=False)
    assert checked.returncode == 0
    content = bytearray(warc.read_bytes())
    content[len(content) // 2] ^= 0x01
    warc.write_bytes(bytes(content))
    failed = oniondex(data, "evidence", "verify", str(out))
    assert failed.returncode == 1
    assert "captures.warc.gz: changed" in failed.stdout


def test_reindex_from_the_warc_files_alone_gives_the_same_index(crawled):
    data, _, _ = crawled
    before = open_index(data / "index")
    expected = (before.count(), [_hits(before, q) for q in QUERIES])
    rebuilt = oniondex(data, "reindex", "--index", str(data / "rebuilt"))
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr[-2000:]
    assert "reindex" in rebuilt.stderr  # the progress bar
    after = open_index(data / "rebuilt")
    assert (after.count(), [_hits(after, q) for q in QUERIES]) == expected
    assert expected[0] == 7


def _hits(index, text):
    """What an analyst sees: the hits and their ranking. Not the raw scores: the crawled index's BM25
    statistics still count the documents its recrawl replaced (deleted, not yet merged away), the rebuilt
    one writes each page once."""
    result = index.search(SearchQuery(text=text, limit=50))
    ranking = [hit.url for hit in sorted(result.hits, key=lambda hit: (-round(hit.score, 4), hit.url))]
    return result.total, sorted((hit.url, hit.title, hit.fetched_at) for hit in result.hits), ranking
