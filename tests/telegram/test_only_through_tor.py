"""t.me and telegram.me are the only clearnet hosts, for the Telegram spider's requests only, through Tor
only (the proxy guard, one circuit per channel); everything else is still refused, with Tor or without."""

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.middlewares.onion_only import OnionOnlyMiddleware
from crawler.middlewares.tor_proxy import TorProxyMiddleware, circuit_username
from crawler.spiders.telegram import TelegramSpider
from oniondex.seeds import Seed
from tests.conftest import ROOT, run_crawl

SEEDS = ROOT / "seeds" / "sample-telegram.txt"
CHANNEL_SEED = Seed("https://t.me/s/some_channel", "t.me/some_channel", channel="some_channel")


def build(cls, **settings):
    from crawler import settings as project

    base = {k: getattr(project, k) for k in dir(project) if k.isupper()}
    base["EXTENSIONS"] = {}
    base.update(settings)
    crawler = get_crawler(TelegramSpider, base)
    crawler.stats.open_spider()
    return crawler, build_from_crawler(cls, crawler)


def channel_request(url, name="some_channel"):
    return Request(url, meta={"telegram_channel": name, "oniondex_circuit": f"t.me/{name}"})


@pytest.mark.parametrize("url", ["https://t.me/s/some_channel", "http://t.me/s/some_channel?before=9",
                                 "https://telegram.me/s/some_channel"])  # fmt: skip
def test_telegram_requests_of_the_telegram_spider_pass(url):
    _, mw = build(OnionOnlyMiddleware)
    assert mw.process_request(channel_request(url)) is None


@pytest.mark.parametrize(
    "request_",
    [
        channel_request("https://example.com/s/some_channel"),  # another clearnet host, even from this spider
        channel_request("https://news.example.org/story/5"),  # a link in a post
        channel_request("https://t.me.example.com/s/x"),
        channel_request("https://127.0.0.1/s/some_channel"),
        channel_request("https://t.me:8443/s/some_channel"),
        channel_request("ftp://t.me/s/some_channel"),
        Request("https://t.me/s/some_channel"),  # t.me, but not the Telegram spider's: an onion page's link
    ],
)
def test_everything_else_is_still_refused(request_):
    crawler, mw = build(OnionOnlyMiddleware)
    with pytest.raises(IgnoreRequest):
        mw.process_request(request_)
    assert crawler.stats.get_value("oniondex/blocked/clearnet") == 1


def test_each_channel_gets_its_own_circuit():
    _, mw = build(TorProxyMiddleware, ONIONDEX_PROXY="socks5h://127.0.0.1:9050")
    requests = [channel_request(f"https://t.me/s/{name}?before={n}", name) for name in ("chan_one", "chan_two")
                for n in (10, 20)]  # fmt: skip
    for request in requests:
        mw.process_request(request)
    proxies = [r.meta["proxy"] for r in requests]
    assert proxies[0] == proxies[1] == f"socks5h://{circuit_username('t.me/chan_one')}:x@127.0.0.1:9050"
    assert proxies[2] == proxies[3] != proxies[0]


def test_the_spider_takes_only_channel_seeds():
    onion = Seed("http://x.onion/", "x.onion")
    spider = TelegramSpider(seeds=[onion, CHANNEL_SEED])
    assert spider.seeds == [CHANNEL_SEED]
    with pytest.raises(ValueError, match="no channel seeds"):
        TelegramSpider(seeds=[onion])


@pytest.mark.parametrize(
    ("proxy", "message"), [("", "never crawls without Tor"), ("http://127.0.0.1:8118", "socks5h://")]
)
def test_no_tor_no_telegram_crawl(tmp_path, proxy, message):
    run = run_crawl(tmp_path, SEEDS, proxy, "-s", "ONIONDEX_TELEGRAM_BASE_URL=http://t.me", timeout=60)
    assert run.returncode == 3, run.output[-2000:]
    assert "crawl refused" in run.output
    assert message in run.output
    assert not (tmp_path / "last-telegram-crawl.json").exists()


def test_a_clearnet_seed_is_refused_beside_channels(tmp_path, socks_front):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("@some_channel\nhttps://example.com/\n", encoding="utf-8")
    run = run_crawl(tmp_path, seeds, socks_front.url, timeout=60)
    assert run.returncode == 2
    assert f"{seeds}:2: error:" in run.output
