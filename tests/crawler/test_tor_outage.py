"""TorOutageMiddleware: Tor unreachable means wait and retry; right after that, so does "onion unreachable"
(a restarted Tor answers so until it has descriptors again), and every outage is announced."""

from __future__ import annotations

import asyncio

import httpx
from scrapy import Request
from scrapy.exceptions import DownloadFailedError, DownloadTimeoutError
from scrapy.utils.test import get_crawler

from crawler import signals as oniondex_signals
from crawler.middlewares.tor_outage import TorOutageMiddleware
from tests.crawler.test_dead_site import SITE, tor_says_unreachable
from tests.crawler.test_failures import socks_failure


def tor_is_down() -> Exception:
    """What the httpx handler raises when nothing listens on the SOCKS port."""
    try:
        try:
            raise httpx.ConnectError("connection refused")
        except httpx.ConnectError as exc:
            raise DownloadFailedError("connection refused") from exc
    except DownloadFailedError as exc:
        return exc


def middleware() -> TorOutageMiddleware:
    crawler = get_crawler(settings_dict={"ONIONDEX_TOR_OUTAGE_FIRST_WAIT": 0.01, "ONIONDEX_TOR_OUTAGE_MAX_WAIT": 5})
    crawler.stats.open_spider()
    return TorOutageMiddleware.from_crawler(crawler)


def test_an_unreachable_onion_is_the_sites_failure_when_tor_was_fine():
    mw = middleware()
    assert asyncio.run(mw.process_exception(Request(SITE + "/"), tor_says_unreachable())) is None


def test_right_after_an_outage_an_unreachable_onion_waits_and_retries():
    mw = middleware()
    outages: list[bool] = []
    mw.crawler.signals.connect(lambda: outages.append(True), signal=oniondex_signals.tor_outage, weak=False)
    retry = asyncio.run(mw.process_exception(Request(SITE + "/a"), tor_is_down()))
    assert retry is not None
    assert retry.dont_filter
    assert outages == [True]
    after = asyncio.run(mw.process_exception(Request(SITE + "/b"), tor_says_unreachable()))
    assert after is not None
    assert after.url == SITE + "/b"
    assert mw.stats.get_value("oniondex/tor/after_outage_retries") == 1


def test_right_after_an_outage_a_timeout_waits_and_retries_too():
    """A restarted Tor builds every site's circuit at once: its first answers come late."""
    mw = middleware()
    assert asyncio.run(mw.process_exception(Request(SITE + "/slow"), DownloadTimeoutError("slow"))) is None
    asyncio.run(mw.process_exception(Request(SITE + "/a"), tor_is_down()))
    retry = asyncio.run(mw.process_exception(Request(SITE + "/slow"), DownloadTimeoutError("slow")))
    assert retry is not None
    assert retry.meta["oniondex_tor_waited"] > 0


def test_a_cut_socks_handshake_is_an_outage():
    """Tor killed while it was still answering a CONNECT: the request waits for Tor, the outage is announced."""
    mw = middleware()
    outages: list[bool] = []
    mw.crawler.signals.connect(lambda: outages.append(True), signal=oniondex_signals.tor_outage, weak=False)
    assert asyncio.run(mw.process_exception(Request(SITE + "/"), socks_failure([b"\x05\x00"]))) is not None
    assert outages == [True]
