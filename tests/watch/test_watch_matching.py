"""Matching captures against watches (no crawl): sightings once per page, pages and sites changed, gone and
back, vendors, Telegram posts, saved queries; and the webhook/SMTP delivery with retries and refusals."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace

import pytest

from oniondex.extraction import PageExtraction, extract_page
from oniondex.index import SearchQuery, open_index
from oniondex.page import Page
from oniondex.watch import Capture, WatchStore
from oniondex.watch.adding import add_watch
from oniondex.watch.delivery import DeliveryConfig, DeliveryError, deliver, email_message
from oniondex.watch.watcher import Watcher, site_outcome
from sample_darknet import build_world
from tests.watch.watch_support import WebhookReceiver, free_port, page_document, smtp_server

WORLD = build_world()
ONION, OTHER = WORLD.by_id("shop-iceking").onion, WORLD.by_id("shop-candyman").onion
ADDRESS = "1KqLYrZrNMRLKvuNovG17ZaR41YueEWiMo"
AT = "2026-11-20T00:00:00+00:00"


def capture(url: str, html: str = "", status: int = 200, depth: int = 1) -> Capture:
    site = url.split("/")[2]
    if status != 200:
        return Capture(url, site, AT, status, depth=depth)
    page = Page(url, html.encode(), "text/html; charset=utf-8", status)
    return Capture(url, site, AT, status, page.sha256, depth, "<urn:uuid:x>", extract_page(page, AT))


@pytest.fixture
def store(tmp_path):
    opened = WatchStore(tmp_path / "watch.db")
    yield opened
    opened.close()


def test_an_entity_alerts_once_per_page_and_says_when_the_site_is_new(store):
    add_watch(store, None, "kim", "btc", ADDRESS)
    watcher = Watcher(store)
    html = f"<p>pay {ADDRESS}</p>"
    first = watcher.check(capture(f"http://{ONION}/a", html))
    assert [(a.kind, a.detail) for a in first] == [("sighting", "first sighting on this site")]
    assert first[0].capture == "<urn:uuid:x>"
    assert ADDRESS in first[0].snippet
    assert watcher.check(capture(f"http://{ONION}/a", html)) == []
    again = watcher.check(capture(f"http://{ONION}/b", html))
    assert [a.detail for a in again] == ["new page on a site already seen"]
    assert [a.detail for a in watcher.check(capture(f"http://{OTHER}/", html))] == ["first sighting on this site"]
    assert watcher.check(capture(f"http://{OTHER}/x", "<p>nothing</p>")) == []


def test_every_analyst_watching_a_value_gets_an_alert(store):
    for analyst in ("kim", "lee"):
        add_watch(store, None, analyst, "btc", ADDRESS)
    alerts = Watcher(store).check(capture(f"http://{ONION}/a", f"<p>{ADDRESS}</p>"))
    assert sorted(a.analyst for a in alerts) == ["kim", "lee"]
    assert [a.id for a in store.alerts("lee")] == [a.id for a in alerts if a.analyst == "lee"]


def test_a_vendor_watch_matches_the_pages_vendor_records(store):
    add_watch(store, None, "kim", "vendor", "Ice King")
    found = PageExtraction(vendors=())
    plain = Capture(f"http://{ONION}/v", ONION, AT, extraction=found)
    watcher = Watcher(store)
    assert watcher.check(plain) == []
    from oniondex.vendors.records import VendorRecord

    vendor = VendorRecord(name="IceKing", name_normalised="iceking", site=ONION, url=f"http://{ONION}/v")
    alerts = watcher.check(replace(plain, extraction=PageExtraction(vendors=(vendor,))))
    assert [(a.kind, a.value) for a in alerts] == [("sighting", "iceking")]


def test_a_telegram_post_matches_like_a_page(store):
    from oniondex.telegram.records import PostRecord

    add_watch(store, None, "kim", "telegram", "@iceking_kr")
    url = "https://t.me/icechannel/7"
    page = Page(url, b"<p>Telegram: @iceking_kr</p>", "text/html; charset=utf-8", 200)
    post = PostRecord(url=url, site="t.me/icechannel", fetched_at=AT, status=200, extraction=extract_page(page, AT))
    alerts = Watcher(store).check(Capture(post.url, post.site, post.fetched_at, extraction=post.extraction))
    assert [(a.kind, a.site) for a in alerts] == [("sighting", "t.me/icechannel")]


def test_a_watched_page_changes_goes_and_comes_back(store):
    url = f"http://{ONION}/contact"
    add_watch(store, None, "kim", "page", url)
    watcher = Watcher(store)
    assert watcher.check(capture(url, "<p>one</p>")) == [], "the first look is the baseline"
    assert watcher.check(capture(url, "<p>one</p>")) == []
    assert [a.kind for a in watcher.check(capture(url, "<p>two</p>"))] == ["changed"]
    assert [a.kind for a in watcher.check(capture(url, status=410))] == ["gone"]
    assert watcher.check(capture(url, status=404)) == [], "gone is said once"
    assert [a.kind for a in watcher.check(capture(url, "<p>two</p>"))] == ["back"]


def test_a_watched_site_and_its_pages_go_with_a_dead_site(store):
    add_watch(store, None, "kim", "site", ONION)
    add_watch(store, None, "kim", "page", f"http://{ONION}/contact")
    watcher = Watcher(store)
    assert watcher.check(capture(f"http://{ONION}/", "<p>front</p>", depth=0)) == []
    assert watcher.finish({ONION: site_outcome(["up"])}, AT) == []
    watcher.reload()
    gone = watcher.finish({ONION: site_outcome(["down", "timeout"])}, AT)
    assert sorted(a.watch_kind for a in gone) == ["page", "site"]
    assert all(a.kind == "gone" for a in gone)
    assert watcher.finish({ONION: site_outcome(["tor_error"])}, AT) == [], "Tor's own failure says nothing"
    watcher.reload()
    back = watcher.finish({ONION: site_outcome(["up"])}, AT)
    assert [(a.kind, a.watch_kind) for a in back] == [("back", "site")]
    assert [a.kind for a in watcher.check(capture(f"http://{ONION}/", "<p>new front</p>", depth=0))] == ["changed"]
    assert site_outcome(["up", "seized"])[0] == "gone"


def test_a_saved_query_alerts_on_new_matches_and_retro_hunts(store, tmp_path):
    index = open_index(tmp_path / "index")
    index.add_pages([page_document(f"http://{ONION}/old", "<p>full escrow since 2020</p>", "2026-01-01T00:00:00Z")])
    index.commit()
    added = add_watch(store, index, "kim", "query", '"full escrow"', query=SearchQuery(text='"full escrow"'))
    assert [(a.kind, a.url) for a in added.past] == [("retro", f"http://{ONION}/old")]
    index.add_pages([page_document(f"http://{OTHER}/new", "<p>full escrow now</p>", "2026-11-20T00:00:00Z")])
    index.commit()
    alerts = Watcher(store).check_queries(index, "2026-11-01T00:00:00Z")
    assert [(a.kind, a.url) for a in alerts] == [("query", f"http://{OTHER}/new")]
    assert Watcher(store).check_queries(index, "2026-11-01T00:00:00Z") == []
    index.close()


# --- delivery ---------------------------------------------------------------------------------------------


def one_alert(store: WatchStore, channels: tuple[str, ...]) -> None:
    add_watch(store, None, "kim", "btc", ADDRESS)
    Watcher(store, channels).check(capture(f"http://{ONION}/a", f"<p>{ADDRESS}</p>"))


def test_a_failed_webhook_is_retried_with_backoff_and_then_delivered(store):
    with WebhookReceiver(fail_first=1) as hook:
        config = DeliveryConfig(webhook_url=hook.url, webhook_secret="s3cret", backoff=0.01)
        one_alert(store, config.channels)
        waits: list[float] = []
        report = deliver(store, config, sleep=waits.append)
    assert hook.refused == 1
    assert len(waits) == 1
    assert report.sent == {"webhook": 1}
    body = hook.received[0].body
    assert (
        hook.received[0].headers["x-oniondex-signature"]
        == "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    )
    assert store.pending_deliveries() == []


def test_an_unreachable_webhook_keeps_the_delivery_for_later(store):
    config = DeliveryConfig(
        webhook_url=f"http://127.0.0.1:{free_port()}/hook", webhook_secret="s", tries=2, backoff=0.01
    )
    one_alert(store, config.channels)
    report = deliver(store, config, sleep=lambda _s: None)
    assert len(report.errors) == 2
    [pending] = store.pending_deliveries()
    assert pending["attempts"] == 2
    assert "ConnectError" in pending["last_error"]


def test_email_goes_to_a_real_smtp_server(store):
    with smtp_server() as (mailbox, port):
        config = DeliveryConfig(
            smtp_host="127.0.0.1", smtp_port=port, smtp_from="o@localhost", smtp_to=("desk@example.org",)
        )
        one_alert(store, config.channels)
        assert deliver(store, config).sent == {"email": 1}
    [message] = mailbox.messages
    assert ADDRESS in message["Subject"]
    assert f"http://{ONION}/a" in message.get_payload(decode=True).decode()


def test_a_hostile_url_cannot_add_mail_headers(store):
    add_watch(store, None, "kim", "btc", ADDRESS)
    [alert] = Watcher(store).check(capture(f"http://{ONION}/a", f"<p>{ADDRESS}</p>"))
    message = email_message(
        DeliveryConfig(smtp_to=("d@example.org",)), [replace(alert, url="x\r\nBcc: evil@example.org")]
    )
    assert message["Bcc"] is None
    assert "\n" not in message["Subject"]


@pytest.mark.parametrize(
    "settings",
    [
        {"ONIONDEX_ALERT_WEBHOOK_URL": "http://203.0.113.5/hook", "ONIONDEX_ALERT_WEBHOOK_SECRET": "s"},
        {"ONIONDEX_ALERT_WEBHOOK_URL": "http://hooks.example.org/x", "ONIONDEX_ALERT_WEBHOOK_SECRET": "s"},
        {"ONIONDEX_ALERT_WEBHOOK_URL": "http://127.0.0.1:9/x"},  # no secret to sign with
        {"ONIONDEX_ALERT_SMTP_HOST": "smtp.example.org", "ONIONDEX_ALERT_SMTP_TO": "a@example.org"},
        {"ONIONDEX_ALERT_SMTP_HOST": "127.0.0.1"},  # nobody to send to
    ],
)
def test_targets_must_be_loopback_or_named(settings):
    with pytest.raises(DeliveryError):
        DeliveryConfig.from_settings(settings.get)


def test_a_named_host_is_allowed():
    named = {"ONIONDEX_ALERT_SMTP_HOST": "smtp.example.org", "ONIONDEX_ALERT_SMTP_TO": "a@example.org",
             "ONIONDEX_ALERT_ALLOWED_HOSTS": "smtp.example.org"}  # fmt: skip
    assert DeliveryConfig.from_settings(named.get).channels == ("email",)
