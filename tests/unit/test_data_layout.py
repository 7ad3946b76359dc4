"""Issue 14 finding 9: one data layout, from the settings, for the crawl, the CLI and the web UI alike."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from oniondex import config
from oniondex.cli import main
from oniondex.cli.crawl import crawl_settings
from oniondex.index import SearchQuery, open_index
from oniondex.index.spool import Spool
from oniondex.vendors.records import VendorRecord
from oniondex.vendors.store import VendorStore
from tests.conftest import ROOT

ONION = "b" * 56 + ".onion"


def vendor_store(path: Path) -> None:
    store = VendorStore(path)
    store.add_vendor(
        VendorRecord(site=ONION, name="MovedVendor", name_normalised="movedvendor", url=f"http://{ONION}/v",
                     first_seen="2026-01-01T00:00:00Z", last_seen="2026-01-02T00:00:00Z")
    )  # fmt: skip
    store.close()


@pytest.fixture
def moved(tmp_path, monkeypatch):
    """A data dir with its vendor store, spool and dead letters moved elsewhere by their settings."""
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("ONIONDEX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ONIONDEX_VENDOR_DB", str(elsewhere / "v.db"))
    monkeypatch.setenv("ONIONDEX_INDEX_SPOOL", str(elsewhere / "spool.jsonl"))
    monkeypatch.setenv("ONIONDEX_INDEX_DEAD_LETTER", str(elsewhere / "dead.jsonl"))
    monkeypatch.setenv("ONIONDEX_INDEX_URL", str(elsewhere / "index"))
    return elsewhere


def test_layout_reads_every_path_setting(moved, tmp_path):
    paths = config.layout()
    assert paths.data_dir == tmp_path / "data"
    assert paths.vendor_db == moved / "v.db"
    assert (paths.spool, paths.dead_letter) == (moved / "spool.jsonl", moved / "dead.jsonl")
    assert paths.index_url == str(moved / "index")
    assert paths.audit_log == tmp_path / "data" / "audit.jsonl"
    assert config.layout_of({"ONIONDEX_DATA_DIR": "d"}).vendor_db == Path("d/vendors.db")  # Scrapy settings alike


def test_the_crawl_is_told_every_path(moved):
    settings = crawl_settings(argparse.Namespace(proxy="socks5h://127.0.0.1:1", index=None, depth=None,
                                                 max_pages=None, discover=False, set=[]))  # fmt: skip
    assert settings["ONIONDEX_VENDOR_DB"] == str(moved / "v.db")
    assert settings["ONIONDEX_INDEX_SPOOL"] == str(moved / "spool.jsonl")
    assert settings["ONIONDEX_INDEX_DEAD_LETTER"] == str(moved / "dead.jsonl")


def test_vendor_command_reads_the_moved_vendor_store(moved, capsys):
    vendor_store(moved / "v.db")
    assert main(["vendor", "MovedVendor"]) == 0
    assert ONION in capsys.readouterr().out


def test_web_ui_reads_the_moved_vendor_store(moved, tmp_path):
    from fastapi.testclient import TestClient

    from tests.ui.conftest import USER, form_login
    from web import create_app
    from web.accounts import AccountStore

    vendor_store(moved / "v.db")
    AccountStore(tmp_path / "data" / "accounts.db").add(USER, "correct horse battery staple")
    with TestClient(create_app(tmp_path / "data")) as client:
        assert form_login(client, password="correct horse battery staple").status_code == 303
        sites = client.get("/api/vendor/MovedVendor").json()["sites"]
    assert [s["site"] for s in sites] == [ONION]


def test_index_replay_reads_the_moved_spool(moved):
    url = f"http://{ONION}/spooled"
    Spool(moved / "spool.jsonl").append([{"id": url, "url": url, "site": ONION, "text": "spooled words",
                                          "fetched_at": "2026-01-01T00:00:00Z"}])  # fmt: skip
    assert main(["index", "replay"]) == 0
    assert open_index(moved / "index").search(SearchQuery(text="spooled")).total == 1


def test_serve_finds_an_index_outside_the_data_dir(moved, tmp_path):
    index = open_index(moved / "index")
    index.commit()
    env = {**os.environ}
    command = [sys.executable, "-m", "oniondex", "serve", "--host", "127.0.0.1", "--port", "0"]
    with subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as child:  # fmt: skip
        try:
            first = child.stdout.readline() if child.stdout else ""
            while first.startswith("note:"):
                first = child.stdout.readline() if child.stdout else ""
            assert first.startswith("serving on http://127.0.0.1:"), first
        finally:
            child.terminate()
            child.wait(timeout=10)
