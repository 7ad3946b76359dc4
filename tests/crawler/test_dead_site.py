from scrapy import Request
from scrapy.exceptions import DownloadTimeoutError
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares.dead_site import DeadSiteMiddleware
from tests.crawler.test_failures import OK_REPLY, socks_failure

SITE = "http://fb3pditshtpb5mtd3up7jesycmhitaxagrlobbvz4cgabhzjnefoqgqd.onion"


def tor_says_unreachable() -> Exception:
    """What Scrapy's httpx handler raises for Tor's extended reply 0xF0 (descriptor not found)."""
    return socks_failure([b"\x05\x00", b"\x05\xf0" + OK_REPLY[2:]])


def middleware() -> DeadSiteMiddleware:
    crawler = get_crawler(settings_dict={"ONIONDEX_DEAD_SITE_FAIL_FAST": True})
    crawler.stats.open_spider()
    return DeadSiteMiddleware.from_crawler(crawler)


def test_an_unreachable_onion_that_never_answered_is_not_retried():
    mw, request = middleware(), Request(SITE + "/")
    mw.process_exception(request, tor_says_unreachable())
    assert request.meta["dont_retry"] is True
    assert mw.stats.get_value("oniondex/dead_site/not_retried") == 1


def test_timeouts_and_sites_that_answered_are_retried_as_usual():
    mw = middleware()
    slow = Request(SITE + "/")
    mw.process_exception(slow, DownloadTimeoutError("slow"))
    mw.process_response(Request(SITE + "/"), HtmlResponse(SITE + "/", body=b"<html></html>"))
    flaky = Request(SITE + "/page")
    mw.process_exception(flaky, tor_says_unreachable())
    assert "dont_retry" not in slow.meta
    assert "dont_retry" not in flaky.meta


def test_no_site_fails_fast_just_after_an_announced_tor_outage():
    """TorOutageMiddleware announces Tor unreachable (or still slow after that): "unreachable" may be Tor's."""
    mw = middleware()
    mw.tor_outage()
    request = Request(SITE + "/")
    mw.process_exception(request, tor_says_unreachable())
    assert "dont_retry" not in request.meta
