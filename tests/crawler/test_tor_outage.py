"""TorOutageMiddleware: Tor unreachable means wait and retry; right after that, so does "onion unreachable"
(a restarted Tor answers so until it has descriptors again), every outage is announced, and the grace
lasts while the restarted Tor answers more slowly than before."""

from __future__ import annotations

import asyncio

import httpx
from scrapy import Request
from scrapy.exceptions import DownloadFailedError, DownloadTimeoutError
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler import signals as oniondex_signals
from crawler.middlewares.dead_site import OUTAGE_GRACE
from crawler.middlewares.tor_outage import AFTER_OUTAGE_MAX_DELAY, GRACE_CAP, TorOutageMiddleware, TorPace
from tests.crawler.test_dead_site import SITE, tor_says_unreachable
from tests.crawler.test_failures import socks_failure

OTHER_SITE = "http://ldlfqnrdgxhlub57naol5jfaewesh3vjex7hviecp2bkvzwpdcl3cuad.onion"


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


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def answer(mw: TorOutageMiddleware, latency: float, path: str = "/") -> None:
    request = Request(SITE + path, meta={"download_latency": latency})
    mw.process_response(request, HtmlResponse(request.url, body=b"<html></html>"))


def retried(mw: TorOutageMiddleware, exception: Exception, path: str = "/x") -> bool:
    return asyncio.run(mw.process_exception(Request(OTHER_SITE + path), exception)) is not None


def recovering_middleware() -> tuple[TorOutageMiddleware, Clock, list[float]]:
    """A middleware that saw 10 answers of 1 s, then Tor unreachable at t=1000."""
    mw, clock = middleware(), Clock()
    mw.clock = clock
    outages: list[float] = []
    mw.crawler.signals.connect(lambda: outages.append(clock.now), signal=oniondex_signals.tor_outage, weak=False)
    for _ in range(TorPace.ANSWERS):
        answer(mw, 1.0)
    assert retried(mw, tor_is_down())
    return mw, clock, outages


def test_the_grace_goes_on_while_tor_answers_slowly_after_the_outage():
    mw, clock, outages = recovering_middleware()
    clock.now += OUTAGE_GRACE - 20
    assert retried(mw, DownloadTimeoutError("slow"))  # no answer since the outage: Tor still slow
    clock.now += 100  # past the first grace, within the extended one
    assert retried(mw, tor_says_unreachable())
    assert len(outages) == 2  # the slowness was announced: the site window and DeadSiteMiddleware wait too
    assert mw.stats.get_value("oniondex/tor/grace_extended") == 1


def test_the_grace_ends_once_tor_answers_at_its_pace_before_the_outage():
    mw, clock, outages = recovering_middleware()
    clock.now += 10
    for _ in range(TorPace.ANSWERS):
        answer(mw, 1.5)
    assert retried(mw, DownloadTimeoutError("slow"))  # still in the grace, but it is not extended
    assert len(outages) == 1
    clock.now += OUTAGE_GRACE
    assert not retried(mw, DownloadTimeoutError("slow"))  # the site's own timeout: RetryMiddleware's


def test_answers_slower_than_before_the_outage_extend_the_grace():
    mw, _, outages = recovering_middleware()
    for _ in range(TorPace.ANSWERS):
        answer(mw, 1.0 * TorPace.SLOW_FACTOR + 1)
    assert retried(mw, DownloadTimeoutError("slow"))
    assert len(outages) == 2


def test_an_unreachable_site_that_never_answered_does_not_extend_the_grace():
    """A dead site answers "unreachable" whatever Tor's pace: that says nothing about Tor."""
    mw, _, outages = recovering_middleware()
    assert retried(mw, tor_says_unreachable())
    assert len(outages) == 1


def test_slowness_extends_the_grace_up_to_its_cap():
    mw, clock, outages = recovering_middleware()
    while clock.now - 1000 < GRACE_CAP + OUTAGE_GRACE:
        clock.now += OUTAGE_GRACE / 2
        retried(mw, DownloadTimeoutError("slow"))
    assert max(outages) - 1000 < GRACE_CAP
    assert not retried(mw, DownloadTimeoutError("slow"))


def test_a_retry_in_the_grace_waits_at_most_a_few_seconds(monkeypatch):
    slept: list[float] = []

    async def sleep(delay: float) -> None:
        slept.append(delay)

    mw, *_ = recovering_middleware()
    mw.max_wait = 600
    monkeypatch.setattr("crawler.middlewares.tor_outage.asyncio.sleep", sleep)
    request = Request(OTHER_SITE + "/", meta={"oniondex_tor_waited": 120.0})
    assert asyncio.run(mw.process_exception(request, DownloadTimeoutError("slow"))) is not None
    assert slept == [AFTER_OUTAGE_MAX_DELAY]
