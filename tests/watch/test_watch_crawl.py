"""Watchlists in real crawls of the sample darknet through the SOCKS stand-in: a watched address alerts in
the crawl that first sees it, delivered to a real SMTP server and a webhook receiver on loopback, signed;
on later crawls a watched page that changed, vanished (404) or came back alerts, and so does a dead site."""

from __future__ import annotations

import hashlib
import hmac
import subprocess
import sys

import pytest

from oniondex.index import SearchQuery
from oniondex.watch import WatchStore
from oniondex.watch.adding import add_watch
from sample_darknet import build_world
from sample_darknet.testing import running_socks_front
from tests.conftest import ROOT, run_crawl
from tests.watch.watch_support import DarknetFront, WebhookReceiver, smtp_server

ANALYST = "kim"
SECRET = "test-shared-secret"
ADDRESS = "1KqLYrZrNMRLKvuNovG17ZaR41YueEWiMo"  # on shop-iceking's /contact only
WORLD = build_world()
ICEKING = WORLD.by_id("shop-iceking").onion
CANDYMAN = WORLD.by_id("shop-candyman").onion
DEAD = WORLD.by_id("dead-shop").onion
CONTACT, PGP = f"http://{ICEKING}/contact", f"http://{ICEKING}/pgp.txt.html"


@pytest.fixture(scope="module")
def lab(darknet, tmp_path_factory):
    """The darknet behind a front that can change pages, its SOCKS stand-in, an SMTP server, a webhook."""
    with (
        DarknetFront(darknet.url) as front,
        running_socks_front(front.url) as socks,
        smtp_server() as (mailbox, smtp_port),
        WebhookReceiver() as webhook,
    ):
        data = tmp_path_factory.mktemp("watch-crawl")
        seeds = data / "seeds.txt"
        seeds.write_text(f"http://{ICEKING}/\nhttp://{CANDYMAN}/\n", encoding="utf-8")
        store = WatchStore(data / "watch.db")
        for kind, value in (("btc", ADDRESS), ("page", CONTACT), ("page", PGP), ("site", DEAD)):
            add_watch(store, None, ANALYST, kind, value)
        add_watch(store, None, ANALYST, "query", f"site:{CANDYMAN}", query=SearchQuery(site=CANDYMAN))
        store.close()
        settings = [
            f"ONIONDEX_ALERT_WEBHOOK_URL={webhook.url}",
            f"ONIONDEX_ALERT_WEBHOOK_SECRET={SECRET}",
            "ONIONDEX_ALERT_SMTP_HOST=127.0.0.1",
            f"ONIONDEX_ALERT_SMTP_PORT={smtp_port}",
            "ONIONDEX_ALERT_SMTP_TO=desk@example.org",
        ]

        def crawl(seed_file=seeds):
            args = [arg for setting in settings for arg in ("-s", setting)]
            run = run_crawl(data, seed_file, socks.url, "--depth", "2", "-s", "DOWNLOAD_TIMEOUT=10", *args)
            assert run.returncode == 0, run.output[-3000:]
            store = WatchStore(data / "watch.db")
            try:
                return store.alerts(ANALYST)
            finally:
                store.close()

        yield {"data": data, "front": front, "mailbox": mailbox, "webhook": webhook, "crawl": crawl, "seeds": seeds}


@pytest.fixture(scope="module")
def first(lab):
    return lab["crawl"]()


def test_the_crawl_that_first_sees_a_watched_address_alerts(first):
    sightings = [a for a in first if a.kind == "sighting"]
    assert [(a.value, a.url) for a in sightings] == [(ADDRESS, CONTACT)]
    alert = sightings[0]
    assert alert.capture.startswith("<urn:uuid:"), "the alert names the WARC record of the capture"
    assert "1KqL" in alert.snippet
    assert alert.seen_at
    assert not alert.read
    assert alert.detail == "first sighting on this site"


def test_a_saved_query_alerts_on_each_page_it_newly_matches(first):
    matched = {a.url for a in first if a.kind == "query"}
    assert matched
    assert all(CANDYMAN in url for url in matched)
    assert all(a.capture.startswith("<urn:uuid:") for a in first if a.kind == "query")


def test_alerts_reach_the_smtp_server_and_the_signed_webhook(lab, first):
    ids = {a.id for a in first}
    posted = [alert for received in lab["webhook"].received for alert in received.alerts]
    assert {a["id"] for a in posted} == ids
    for received in lab["webhook"].received:
        expected = "sha256=" + hmac.new(SECRET.encode(), received.body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(received.headers["x-oniondex-signature"], expected)
    mailed = "".join(m.get_payload(decode=True).decode() for m in lab["mailbox"].messages)
    assert ADDRESS in mailed
    assert CONTACT in mailed
    assert all(m["To"] == "desk@example.org" for m in lab["mailbox"].messages)


def test_a_recrawl_alerts_on_a_changed_page_a_vanished_page_and_a_dead_site(lab, first):
    front = lab["front"]
    front.overrides[(ICEKING, "/contact")] = (200, f"<p>New prices. Pay to {ADDRESS}</p>".encode())
    front.overrides[(ICEKING, "/pgp.txt.html")] = (404, b"not found")
    seeds = lab["data"] / "seeds-2.txt"
    seeds.write_text(lab["seeds"].read_text() + f"http://{DEAD}/\n", encoding="utf-8")
    before = {a.id for a in first}
    new = [a for a in lab["crawl"](seeds) if a.id not in before]
    assert sorted((a.kind, a.url or a.site) for a in new) == sorted(
        [("changed", CONTACT), ("gone", DEAD), ("gone", PGP)]
    )
    assert not [a for a in new if a.kind == "sighting"], "the address is on the same page as before"
    gone = next(a for a in new if a.url == PGP)
    assert gone.detail == "HTTP 404"
    assert gone.capture.startswith("<urn:uuid:")
    front.overrides.clear()
    again = [a for a in lab["crawl"]() if a.id not in before | {a.id for a in new}]
    assert sorted((a.kind, a.url) for a in again) == [("back", PGP), ("changed", CONTACT)]


def test_a_new_watch_retro_hunts_past_sightings(lab, first):
    env = {"ONIONDEX_DATA_DIR": str(lab["data"]), "ONIONDEX_ANALYST": "lee", "PATH": ""}
    command = [sys.executable, "-m", "oniondex", "watch", "add", "telegram", "@IceKing_KR"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "telegram iceking_kr" in done.stdout
    assert CONTACT in done.stdout
    store = WatchStore(lab["data"] / "watch.db")
    try:
        past = store.alerts("lee")
    finally:
        store.close()
    assert {(a.kind, a.url) for a in past} == {("retro", CONTACT)}
    assert past[0].snippet
    assert "iceking" in past[0].snippet.lower()
