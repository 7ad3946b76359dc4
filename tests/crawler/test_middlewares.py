"""Crawler components on synthetic requests, built through Scrapy as in a crawl."""

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http import Headers
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.middlewares.onion_only import OnionOnlyMiddleware
from crawler.middlewares.site_caps import SitePageCapMiddleware
from crawler.middlewares.text_only import TextOnlyMiddleware
from crawler.middlewares.tor_proxy import ProxyNotConfigured, TorProxyMiddleware, circuit_username
from crawler.spiders.onion import OnionSpider

ONION = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"
OTHER = "a" * 52 + "aaad.onion"


def build(cls, **settings):
    from crawler import settings as project

    base = {k: getattr(project, k) for k in dir(project) if k.isupper()}
    base["EXTENSIONS"] = {}  # one component at a time; the proxy guard has tests of its own
    base.update(settings)
    crawler = get_crawler(OnionSpider, base)
    crawler.stats.open_spider()
    return crawler, build_from_crawler(cls, crawler)


@pytest.mark.parametrize(
    "url", ["http://example.com/", "http://127.0.0.1/", "http://expyuzz4wqqyqhjn.onion/", "ftp://" + ONION + "/"]
)
def test_only_v3_onions_leave(url):
    crawler, mw = build(OnionOnlyMiddleware)
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request(url))
    assert crawler.stats.get_value("oniondex/blocked/clearnet") == 1


def test_onion_passes():
    _, mw = build(OnionOnlyMiddleware)
    assert mw.process_request(Request(f"http://{ONION}/x")) is None


def test_proxy_is_required_and_must_be_socks5h():
    for proxy in ("", "http://127.0.0.1:8118", "socks5://127.0.0.1:9050", "socks5h://127.0.0.1"):
        with pytest.raises(ProxyNotConfigured):
            build(TorProxyMiddleware, ONIONDEX_PROXY=proxy)


def test_each_site_gets_its_own_socks_username():
    _, mw = build(TorProxyMiddleware, ONIONDEX_PROXY="socks5h://127.0.0.1:9050")
    requests = [Request(f"http://{host}/{n}") for host in (ONION, OTHER) for n in range(2)]
    for request in requests:
        mw.process_request(request)
    proxies = [r.meta["proxy"] for r in requests]
    assert proxies[0] == proxies[1] == f"socks5h://{circuit_username(ONION)}:x@127.0.0.1:9050"
    assert proxies[2] == proxies[3] != proxies[0]


def test_page_cap_per_site():
    crawler, mw = build(SitePageCapMiddleware, ONIONDEX_MAX_PAGES_PER_SITE=2)
    for n in range(2):
        mw.process_request(Request(f"http://{ONION}/{n}"))
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request(f"http://{ONION}/3"))
    mw.process_request(Request(f"http://{OTHER}/"))  # other sites have their own count
    assert crawler.stats.get_value("oniondex/site_cap/dropped") == 1


def test_retries_and_redirects_do_not_count_against_the_cap():
    _, mw = build(SitePageCapMiddleware, ONIONDEX_MAX_PAGES_PER_SITE=2)
    first = Request(f"http://{ONION}/1")
    mw.process_request(first)
    for _ in range(3):  # waits and retries after a Tor restart
        mw.process_request(first.replace(dont_filter=True))
    redirected = first.replace(url=f"http://{ONION}/moved")
    redirected.meta["redirect_times"] = 1
    mw.process_request(redirected)
    mw.process_request(Request(f"http://{ONION}/2"))


def test_over_cap_requests_are_dropped_when_scheduled():
    crawler, mw = build(SitePageCapMiddleware, ONIONDEX_MAX_PAGES_PER_SITE=2)
    first, second = Request(f"http://{ONION}/1"), Request(f"http://{ONION}/2")
    mw.request_scheduled(first)
    mw.request_scheduled(second)
    with pytest.raises(IgnoreRequest):
        mw.request_scheduled(Request(f"http://{ONION}/3"))
    mw.request_scheduled(first.replace(dont_filter=True))  # a retry holds its original's place
    mw.request_dropped(second)  # already seen: never fetched, so another link may take its place
    mw.request_scheduled(Request(f"http://{ONION}/4"))
    assert crawler.stats.get_value("oniondex/site_cap/dropped") == 1


def test_a_resumed_crawls_pending_requests_keep_their_places_under_the_cap():
    # The killed run fetched one page and left two pending; a new link of the resumed run must not take a
    # pending request's place (the cap would then drop the pending one, which may already be indexed).
    crawler, mw = build(SitePageCapMiddleware, ONIONDEX_MAX_PAGES_PER_SITE=3)
    mw.resumed(done={ONION: 1}, pending={ONION: 2})
    with pytest.raises(IgnoreRequest):
        mw.request_scheduled(Request(f"http://{ONION}/new"))
    for n in range(2):  # the pending ones, as the frontier queues them again: not scheduled, fetched
        mw.process_request(Request(f"http://{ONION}/pending-{n}"))
    mw.request_scheduled(Request(f"http://{OTHER}/"))
    assert crawler.stats.get_value("oniondex/site_cap/dropped") == 1


@pytest.mark.parametrize("path", ["/a.JPG", "/b.png", "/c.zip", "/d.exe", "/e.mp4?x=1"])
def test_media_links_are_never_requested(path):
    crawler, mw = build(TextOnlyMiddleware)
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request(f"http://{ONION}{path}"))
    assert crawler.stats.get_value("oniondex/skipped/extension") == 1


@pytest.mark.parametrize(
    ("ctype", "stopped"),
    [
        (b"image/png", True),
        (b"application/octet-stream", True),
        (b"text/html; charset=euc-kr", False),
        (b"text/plain", False),
        (b"", False),
    ],
)
def test_non_text_bodies_are_aborted_at_headers(ctype, stopped):
    _, mw = build(TextOnlyMiddleware)
    headers = Headers({"Content-Type": ctype} if ctype else {})
    request = Request(f"http://{ONION}/file")
    if stopped:
        with pytest.raises(StopDownload):
            mw.headers_received(headers=headers, body_length=10, request=request, spider=None)
    else:
        mw.headers_received(headers=headers, body_length=10, request=request, spider=None)


def test_several_tor_clients_pin_each_site_to_one():
    proxies = "socks5h://127.0.0.1:9050, socks5h://127.0.0.1:9052"
    _, mw = build(TorProxyMiddleware, ONIONDEX_PROXY=proxies)
    sites = [f"{c * 52}aaad.onion" for c in "abcdefghijklmnop"]
    used = {}
    for site in sites:
        for n in range(3):
            request = Request(f"http://{site}/{n}")
            mw.process_request(request)
            used.setdefault(site, set()).add(request.meta["proxy"].rsplit("@", 1)[1])
    assert all(len(ports) == 1 for ports in used.values())
    assert {next(iter(p)) for p in used.values()} == {"127.0.0.1:9050", "127.0.0.1:9052"}
