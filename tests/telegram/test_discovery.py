"""Discovery both ways: channels a post forwards from or links to, and channels an onion page names, become
discovered channels; onion links in posts become discovered sites. All are listed in DATA/discovered.txt
and, with ONIONDEX_DISCOVER, crawled in the same crawl."""

import json
import re

from oniondex.index import SearchQuery, open_index
from oniondex.seeds import load_seeds_strict
from oniondex.telegram.discovered import DiscoveredList
from oniondex.telegram.discovery import channels_named, channels_on_page, onions_named
from oniondex.telegram.records import LinkPreview, Post
from sample_darknet.testing import running_socks_front
from sample_telegram.testing import serving_telegram
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
    with (
        serving_telegram("127.0.0.1", 0) as telegram,
        running_socks_front(darknet.url, telegram_url=telegram.url) as socks,
    ):
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


def test_what_an_onion_page_names():
    from oniondex.entities.extract import Entity

    def handle(value):
        return Entity("telegram", value, "", 0, "http://x.onion/", "x.onion", "", "text")

    links = ["https://t.me/chan_one", "https://t.me/joinchat/abc", "http://x.onion/about", "https://t.me/s/Chan_Two"]
    entities = [handle("dealer_kim"), handle("abc"), Entity("btc", "1abc", "", 0, "", "", "", "text")]
    assert channels_on_page(entities, links) == {"chan_one", "chan_two", "dealer_kim"}


def test_the_discovered_list_is_a_seed_list_kept_across_crawls(tmp_path):
    path = tmp_path / "discovered.txt"
    first = DiscoveredList(path)
    assert first.add_channel("chan_one", "http://x.onion/contact", "K-1")
    assert not first.add_channel("chan_one", "https://t.me/other/5")
    assert first.add_site(ONION, "https://t.me/chan_one/5")
    again = DiscoveredList(path)
    assert not again.add_channel("chan_one", "elsewhere")
    assert again.add_channel("chan_two", "http://x.onion/\nnote")
    seeds = load_seeds_strict(path)
    assert [(s.channel or s.site, s.tags, s.case) for s in seeds] == [
        ("chan_one", ("discovered",), "K-1"), (ONION, ("discovered",), ""), ("chan_two", ("discovered",), ""),
    ]  # fmt: skip
    assert seeds[0].note == "named on http://x.onion/contact"


def front_page_handles(truth):
    """Onion sites whose front page names Telegram handles, with those handles."""
    found = {}
    for host, site in truth["sites"].items():
        for page in site["pages"].values():
            handles = {e["value"] for e in page.get("entities", []) if e["type"] == "telegram"}
            if page["depth"] == 0 and page["status"] == 200 and handles:
                found[host] = handles
    return found


def test_channels_named_on_onion_pages_are_discovered_and_crawled(tmp_path, darknet, truth):
    named = front_page_handles(truth)
    assert named
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("".join(f"http://{host}/ case=K-3\n" for host in named), encoding="utf-8")
    with (
        serving_telegram("127.0.0.1", 0, log_path=tmp_path / "telegram.jsonl") as telegram,
        running_socks_front(darknet.url, telegram_url=telegram.url) as socks,
    ):
        run = run_crawl(
            tmp_path, seeds, socks.url, "--discover", "--depth", "1", "-s", "ONIONDEX_TELEGRAM_BASE_URL=http://t.me",
            timeout=600,
        )  # fmt: skip
        log = (tmp_path / "telegram.jsonl").read_text(encoding="utf-8").splitlines()
        requested = {json.loads(line)["path"].split("?")[0].removeprefix("/s/") for line in log}
    assert run.returncode == 0, run.output[-3000:]
    listed = [s for s in load_seeds_strict(tmp_path / "discovered.txt") if s.channel]
    index = open_index(tmp_path / "index")
    crawled = {hit.url for hit in index.search(SearchQuery(limit=10_000)).hits}
    pages = {page["url"]: page for site in truth["sites"].values() for page in site["pages"].values()}
    expected = {e["value"] for url in crawled & set(pages) for e in pages[url].get("entities", [])
                if e["type"] == "telegram"}  # fmt: skip
    assert set().union(*named.values()) <= expected
    assert {s.channel for s in listed} == expected  # every channel the pages name, and no other
    assert all(s.case == "K-3" and s.note.startswith("named on http://") for s in listed)
    assert expected <= requested  # the Telegram spider was started for them and asked t.me for each
    assert f"discovered: {len(expected)} new channels" in run.output


def test_onions_linked_from_posts_are_discovered_sites_crawled(tmp_path, darknet):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("@iceking_kr_official case=K-2\n", encoding="utf-8")
    world = {c["username"]: c for c in build_world().truth()["channels"]}
    posts = world["iceking_kr_official"]["posts"][-MAX_POSTS:]
    linked = {o for p in posts for o in re.findall(r"[a-z2-7]{56}\.onion", p["text"])}
    assert linked
    with (
        serving_telegram("127.0.0.1", 0) as telegram,
        running_socks_front(darknet.url, log_path=tmp_path / "socks.jsonl", telegram_url=telegram.url) as socks,
    ):
        run = run_crawl(
            tmp_path, seeds, socks.url, "--discover", "-s", "ONIONDEX_TELEGRAM_BASE_URL=http://t.me",
            "-s", f"ONIONDEX_TELEGRAM_MAX_POSTS={MAX_POSTS}", "-s", "ONIONDEX_TELEGRAM_BACKOFF=0.2", timeout=600,
        )  # fmt: skip
        hosts = {r.get("host") for r in socks.log()}
    assert run.returncode == 0, run.output[-3000:]
    listed = {s.site: s for s in load_seeds_strict(tmp_path / "discovered.txt") if not s.channel}
    assert set(listed) >= linked
    assert all(s.case == "K-2" and s.note.startswith("named on https://t.me/") for s in listed.values())
    assert linked <= hosts  # the onion spider was started for them and went to each through the proxy
    summary = json.loads((tmp_path / "last-crawl.json").read_text(encoding="utf-8"))
    assert linked <= set(summary["per_site"])


def test_only_telegram_handles_on_an_onion_page_become_channels():
    from oniondex.extraction import extract_page
    from oniondex.page import Page

    body = """<html><head><style>@media print { .nav { display: none } }</style></head><body>
    <p>Order on Telegram: @real_vendor_kr, backup channel @vendor_backup</p>
    <p>Mail: orders_desk@protonmail.com, or jabber shopkeeper@exploit.im</p>
    <p>Follow us on Twitter @tweety_shop and Instagram: @insta_shop (no orders there)</p>
    <p>@everyone new stock on Friday. Our theme: <code>@media screen and (max-width: 600px)</code></p>
    <pre>/** @param amount in grams @return price */</pre>
    <pre>-----BEGIN PGP PUBLIC KEY BLOCK-----

mQINBGVzYWJsZQEQAKd3cm9uZ2tleWJ1dGZpbmVmb3J0ZXN0aW5nb25seQ+/abc=
=abcd
-----END PGP PUBLIC KEY BLOCK-----</pre></body></html>"""
    found = extract_page(Page("http://x.onion/", body.encode()), "2026-01-01T00:00:00Z")
    assert channels_on_page(found.entities) == {"real_vendor_kr", "vendor_backup"}
