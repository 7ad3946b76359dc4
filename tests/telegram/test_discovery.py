"""Channels a post forwards from become discovered channels, crawled with ONIONDEX_DISCOVER; onion links
in posts become discovered sites."""

import json

from oniondex.telegram.discovery import channels_named, onions_named
from oniondex.telegram.records import LinkPreview, Post
from sample_darknet.testing import running_socks_front
from sample_telegram.testing import running_telegram
from sample_telegram.world import build_world
from tests.conftest import run_crawl

ONION = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"
MAX_POSTS = 60


def test_what_a_post_names():
    post = Post(
        "chan_one", 5, "https://t.me/chan_one/5",
        forwarded_from="chan_two", forwarded_from_url="https://t.me/chan_two/9",
        links=(f"http://{ONION}/shop", "https://t.me/chan_three", "https://t.me/+invite", "https://example.com/"),
        link_previews=(LinkPreview("https://t.me/s/chan_four"),),
    )  # fmt: skip
    assert channels_named(post) == {"chan_two", "chan_three", "chan_four"}
    assert onions_named(post) == {ONION}


def expected_closure(start):
    truth = {c["username"]: c for c in build_world().truth()["channels"]}
    found, todo = set(), [start]
    while todo:
        posts = truth[todo.pop()]["posts"][-MAX_POSTS:]
        for name in {p["forwarded_from"] for p in posts if p["forwarded_from"] in truth} - found - {start}:
            found.add(name)
            todo.append(name)
    return found


def test_forwarded_channels_are_crawled_with_discovery(tmp_path, darknet):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("@ice_gangnam24 case=K-1\n", encoding="utf-8")
    with running_telegram() as telegram, running_socks_front(darknet.url, telegram_url=telegram.url) as socks:
        run = run_crawl(
            tmp_path, seeds, socks.url, "--discover", "-s", "ONIONDEX_TELEGRAM_BASE_URL=http://t.me",
            "-s", f"ONIONDEX_TELEGRAM_MAX_POSTS={MAX_POSTS}", "-s", "ONIONDEX_TELEGRAM_BACKOFF=0.2",
        )  # fmt: skip
    assert run.returncode == 0, run.output[-2000:]
    summary = json.loads((tmp_path / "last-telegram-crawl.json").read_text(encoding="utf-8"))
    expected = expected_closure("ice_gangnam24")
    assert expected
    assert set(summary["discovered_channels"]) == expected
    assert set(summary["per_channel"]) == expected | {"ice_gangnam24"}
    assert all(summary["per_channel"][name]["posts"] > 0 for name in expected)
    assert any(".onion" in onion for onion in summary["discovered_onions"]) == ("seoul_supply_ch" in expected)
