"""TorOutageMiddleware: Tor unreachable means wait and retry; right after that, so does "onion unreachable"
(a restarted Tor answers so until it has descriptors again), every outage is announced, and the grace
lasts while the restarted Tor answers more slowly than before. At the crawl's start, while the client is
cold, a timeout waits and retries too; Tor's definite "unreachable" does not."""

from __future__ import annotations

import asyncio

import httpx
from scrapy import Request
from scrapy.exceptions import DownloadFailedError, DownloadTimeoutError
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler import signals as oniondex_signals
from crawler.middlewares.dead_site import OUTAGE_GRACE
from crawler.middlewares.tor_outage import (
    AFTER_OUTAGE_MAX_DELAY,
    FIRST_FETCHES_BUSY,
    GRACE_CAP,
    TorOutageMiddleware,
    TorPace,
)
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
    warm_up(mw)
    assert asyncio.run(mw.process_exception(Request(SITE + "/slow"), DownloadTimeoutError("slow"))) is None
    asyncio.run(mw.process_exception(Request(SITE + "/a"), tor_is_down()))
    retry = asyncio.run(mw.process_exception(Request(SITE + "/slow"), DownloadTimeoutError("slow")))
    assert retry is not None
    assert retry.meta["oniondex_tor_waited"] > 0


def onion(n: int) -> str:
    return f"http://{n:056d}.onion"


def warm_up(mw: TorOutageMiddleware, latency: float = 1.0, sites: int = TorPace.ANSWERS) -> None:
    """Sites' first pages requested and answered, each in `latency` seconds."""
    for n in range(sites):
        request = Request(onion(n) + "/", meta={"download_latency": latency})
        mw.process_request(request)
        mw.process_response(request, HtmlResponse(request.url, body=b"<html></html>"))


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


def cold_middleware() -> tuple[TorOutageMiddleware, Clock]:
    mw, clock = middleware(), Clock()
    mw.clock = clock
    return mw, clock


def timed_out_first_page(mw: TorOutageMiddleware, url: str = OTHER_SITE + "/") -> bool:
    request = Request(url)
    mw.process_request(request)
    return asyncio.run(mw.process_exception(request, DownloadTimeoutError("slow"))) is not None


def test_a_timeout_while_the_client_is_cold_waits_and_retries_without_an_outage():
    """The crawl's start: no site has answered yet, so a front page's timeout is the client's."""
    mw, _ = cold_middleware()
    outages: list[bool] = []
    mw.crawler.signals.connect(lambda: outages.append(True), signal=oniondex_signals.tor_outage, weak=False)
    assert timed_out_first_page(mw)
    assert mw.stats.get_value("oniondex/tor/cold_start_retries") == 1
    assert outages == []  # dead sites are still judged as soon as Tor says so


def test_once_tors_pace_is_known_a_timeout_is_the_sites():
    mw, _ = cold_middleware()
    warm_up(mw)
    assert not timed_out_first_page(mw)


def test_first_answers_near_the_timeout_keep_the_client_cold():
    mw, _ = cold_middleware()
    warm_up(mw, latency=0.6 * mw.timeout)
    assert timed_out_first_page(mw)


def test_once_every_site_has_answered_a_slow_sites_timeouts_are_its_own():
    """Slow first answers say nothing once no site's first fetch is going on: the slow site's pages fail."""
    mw, _ = cold_middleware()
    warm_up(mw, latency=0.6 * mw.timeout)
    assert not timed_out_first_page(mw, onion(0) + "/slow")
    mw.process_request(Request(OTHER_SITE + "/"))  # a site's first fetch: circuits are being built again
    assert timed_out_first_page(mw, onion(0) + "/slow/2")


def test_a_redirect_of_a_retry_meets_the_seen_set_again():
    mw, _ = cold_middleware()
    request = Request(OTHER_SITE + "/to-market")
    mw.process_request(request)
    retry = asyncio.run(mw.process_exception(request, DownloadTimeoutError("slow")))
    mw.request_scheduled(retry)
    assert retry.dont_filter  # the retry itself is fetched again
    redirected = retry.replace(url=OTHER_SITE + "/market")  # as RedirectMiddleware builds it
    mw.request_scheduled(redirected)
    assert not redirected.dont_filter
    seed = Request(SITE + "/", dont_filter=True)  # a request's own dont_filter is left to its redirects
    mw.process_request(seed)
    seed_retry = asyncio.run(mw.process_exception(seed, DownloadTimeoutError("slow")))
    moved = seed_retry.replace(url=SITE + "/moved")
    mw.request_scheduled(moved)
    assert moved.dont_filter


def test_many_first_fetches_in_flight_keep_the_client_cold():
    mw, _ = cold_middleware()
    warm_up(mw)
    for n in range(100, 100 + FIRST_FETCHES_BUSY):
        mw.process_request(Request(onion(n) + "/"))
    assert timed_out_first_page(mw)


def test_a_small_crawl_is_warm_once_half_its_sites_answered():
    mw, _ = cold_middleware()
    warm_up(mw, sites=2)
    mw.process_request(Request(onion(50) + "/"))
    assert not timed_out_first_page(mw)  # 2 of 4 sites answered


def test_the_start_grace_ends_at_its_cap_and_for_good():
    mw, clock = cold_middleware()
    assert timed_out_first_page(mw)
    clock.now += GRACE_CAP
    assert not timed_out_first_page(mw)
    assert not timed_out_first_page(mw, onion(1) + "/")


def test_tors_unreachable_fails_fast_even_while_the_client_is_cold():
    """Tor's definite "descriptor not found": DeadSiteMiddleware and the site window judge it."""
    mw, _ = cold_middleware()
    request = Request(OTHER_SITE + "/")
    mw.process_request(request)
    assert asyncio.run(mw.process_exception(request, tor_says_unreachable())) is None


def test_a_slow_page_on_a_warm_client_is_the_sites_own_timeout():
    mw, _ = cold_middleware()
    warm_up(mw)
    assert not timed_out_first_page(mw, onion(0) + "/slow")
    assert not timed_out_first_page(mw, onion(0) + "/slow")


def test_several_sites_timing_out_together_is_the_clients_slowness():
    """An overloaded client times out pages of sites that have answered, too: they wait and retry."""
    mw, _ = cold_middleware()
    warm_up(mw)
    assert not timed_out_first_page(mw, onion(0) + "/a")
    assert not timed_out_first_page(mw, onion(1) + "/a")
    assert timed_out_first_page(mw, onion(2) + "/a")
    assert mw.stats.get_value("oniondex/tor/cold_start_retries") == 1
