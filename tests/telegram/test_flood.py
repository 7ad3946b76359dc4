"""Telegram's flood notice (a 200 page saying too many requests, maybe naming a wait) is backed off and
retried like HTTP 429; a real page is never taken for one, whatever its posts say."""

from __future__ import annotations

import json

import pytest

from oniondex.telegram.flood import flood_wait
from sample_darknet.testing import running_socks_front
from sample_telegram.markup import contact_page, flood_notice, preview_page
from sample_telegram.testing import running_telegram
from sample_telegram.world import build_world
from tests.conftest import run_crawl

CHANNELS = ("ice_gangnam24", "cold_drink_kr")
MAX_POSTS = 60


@pytest.mark.parametrize(
    ("html", "wait"),
    [
        (flood_notice(7), 7.0),
        (flood_notice(0), 0.0),
        ("<html><body>FLOOD_WAIT_12</body></html>", 12.0),
        ("<html><body><h1>429 Too Many Requests</h1></body></html>", 0.0),
    ],
)
def test_flood_notices_are_recognised_with_their_wait(html, wait):
    assert flood_wait(html) == wait


def test_real_pages_are_not_flood_notices():
    world = build_world()
    channel = world.channel("ice_gangnam24")
    assert channel is not None
    assert flood_wait(preview_page(channel, None, None)) is None
    assert flood_wait(contact_page(channel)) is None
    quoting = '<div class="tgme_widget_message_text">too many requests today, retry after 5 pm</div>'
    assert flood_wait(f"<html><body>{quoting}</body></html>") is None


def test_a_crawl_in_flood_mode_waits_and_recovers_every_post(tmp_path, darknet):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("".join(f"@{name}\n" for name in CHANNELS), encoding="utf-8")
    log = tmp_path / "telegram.jsonl"
    with (
        running_telegram(log_path=log, flood=(1, 4)) as telegram,
        running_socks_front(darknet.url, telegram_url=telegram.url) as socks,
    ):
        run = run_crawl(
            tmp_path, seeds, socks.url, "-s", "ONIONDEX_TELEGRAM_BASE_URL=http://t.me",
            "-s", f"ONIONDEX_TELEGRAM_MAX_POSTS={MAX_POSTS}", "-s", "ONIONDEX_TELEGRAM_BACKOFF=0.2",
        )  # fmt: skip
    assert run.returncode == 0, run.output[-2000:]
    requests = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    floods = [r for r in requests if r.get("flood")]
    assert len(floods) == 2 * len(CHANNELS)
    for flooded in floods:  # each one asked again, and answered for real
        later = [r for r in requests if r["path"] == flooded["path"] and r["time"] >= flooded["time"]]
        assert any(not r.get("flood") and r["status"] == 200 for r in later), flooded
    summary = json.loads((tmp_path / "last-telegram-crawl.json").read_text(encoding="utf-8"))
    truth = {c["username"]: c for c in build_world().truth()["channels"]}
    for name in CHANNELS:
        assert summary["per_channel"][name]["posts"] == min(MAX_POSTS, len(truth[name]["posts"]))
    assert "flood notice, waiting 1.0 s" in run.output
