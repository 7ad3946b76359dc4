"""When Tor itself is unreachable, requests wait and retry with backoff instead of failing their sites.

They never go out another way: the retried request goes back through the same proxy middleware. After
ONIONDEX_TOR_OUTAGE_MAX_WAIT seconds of outage the crawl stops with the close reason tor_unavailable
(stat oniondex/tor/unavailable): grinding on would only mark every remaining site tor_error.

A Tor client that has just come back answers "onion unreachable" (descriptor not found, introduction
failed) for every site until it has fetched descriptors again, and is slow to answer at all while it
builds a circuit for every site at once. So for OUTAGE_GRACE seconds after Tor was last unreachable, such
a failure or a timeout waits and retries the same way (stat oniondex/tor/after_outage_retries) instead of
going to RetryMiddleware, whose quick retries would all land in that window and lose the page (with 256
slots and a 4 s timeout, tests/tor lost 81 pages so within 20 s of a restart). Every outage is announced
(signal tor_outage) so the dead-site logic does not judge sites meanwhile.

How long "just after" lasts follows Tor's pace, not the clock alone: the grace lasts OUTAGE_GRACE after
Tor was last unreachable, and each timeout (or a site that had answered now "unreachable") while Tor still
answers slowly, compared with its answers before the outage (TorPace), re-announces the outage, so the
grace goes on, up to GRACE_CAP after Tor was first unreachable (tests/tor lost 26 of 234 pages so on a
loaded machine: the restarted client stayed slow for 2-3 minutes). A fixed longer grace would instead
hold every dead site's verdict and retries as long on a quiet machine. Retries within the grace wait at most
AFTER_OUTAGE_MAX_DELAY, so a long grace does not leave requests asleep long after it.

A crawl's start is like the time after an outage, for timeouts only: a cold Tor client building every
site's first circuit at once (256 slots: every seed at once) answers late, and a timeout then is the
client's, not the site's (tests/tor's plain crawl lost 17 live sites' front pages so at load 10: three
4 s timeouts each, then the site window judged them dead; with them fixed, 76 inner pages of live sites to
RetryMiddleware's quick retries). So a timeout waits and retries the same way (stat
oniondex/tor/cold_start_retries) while the client is cold (TorPace.cold: while sites' first fetches are
going on, too few sites have answered yet or their first answers come near the timeout; many sites' first
fetches are in flight at once; or several sites time out together), up to GRACE_CAP after the crawl's
start. One slow page or site on a warm client is the site's own timeout. Tor's definite answers
("descriptor not found", "introduction failed") are not ambiguous and still fail fast, and no outage is
announced: a dead site is judged as soon as Tor says so.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import time
from collections import Counter, deque
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

from crawler import signals as oniondex_signals
from crawler.failures import DOWN, TIMEOUT, TOR_ERROR, classify_exception
from crawler.middlewares.dead_site import OUTAGE_GRACE, request_site

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)
CLOSE_REASON = "tor_unavailable"
# Seconds after Tor was unreachable that its slowness can still extend the grace: beyond, a slow answer is
# the site's or the network's, and the crawl must end in the test's (and a user's) patience.
GRACE_CAP = 240.0
# A retry within the grace waits at most this long: it finds Tor back soon after it is.
AFTER_OUTAGE_MAX_DELAY = 15.0
# request.meta key: the URL of a retry that skips the seen set (dont_filter) only to be fetched again. A
# redirect copies dont_filter; its target must meet the seen set, or a page already crawled is fetched twice.
REFILTER_REDIRECTS = "oniondex_tor_retry_of"
# Sites' first fetches in flight at once (each a circuit to build) beyond which the client counts as busy:
# a timeout then is its slowness, not the site's.
FIRST_FETCHES_BUSY = 10


class TorPace:
    """How fast Tor answers: the median latency of its last answers, before an outage and since.

    Tor counts as slow after an outage until ANSWERS answers have come since, with a median latency
    within SLOW_FACTOR of the median before it (the last ANSWERS answers; any, if there were none)."""

    ANSWERS = 10
    SLOW_FACTOR = 2.0
    # Tor is overloaded when the last OUTCOMES outcomes (answers and timeouts) hold timeouts of this many
    # sites: a slow page or site times out alone.
    OUTCOMES = 30
    TIMED_OUT_SITES = 3

    def __init__(self) -> None:
        self.recent: deque[float] = deque(maxlen=self.ANSWERS)
        self.before: float | None = None  # median latency before the outage
        # Sites' first answers (each a circuit built): the client's pace at the crawl's start.
        self.first_answers: deque[float] = deque(maxlen=self.ANSWERS)
        self.sites_answered = 0
        self.outcomes: deque[str | None] = deque(maxlen=self.OUTCOMES)  # a timed-out site, or None: an answer

    def answered(self, latency: float, first: bool = False) -> None:
        self.recent.append(latency)
        self.outcomes.append(None)
        if first:
            self.first_answers.append(latency)
            self.sites_answered += 1

    def timed_out(self, site: str) -> None:
        self.outcomes.append(site)

    def sites_timing_out(self) -> int:
        return len({site for site in self.outcomes if site is not None})

    def cold(self, sites_tried: int, timeout: float, building: bool = True) -> bool:
        """Tor's pace at the start is not known yet, or is not its own: while sites' first circuits are being
        built (`building`: a first fetch timed out or is in flight), fewer than ANSWERS sites have answered
        (or half the sites tried, in a smaller crawl) or the last ones' first answers took over 1/SLOW_FACTOR
        of the timeout (a client that slow times out live sites); or several sites time out together.
        Once no first fetch is in flight nothing updates the first two: they kept a client cold until
        GRACE_CAP for one slow site's timeouts alone (tests/tor's plain crawl: 3.5 minutes of retries)."""
        if building and self.sites_answered < min(self.ANSWERS, sites_tried / 2):
            return True
        if building and statistics.median(self.first_answers) > timeout / self.SLOW_FACTOR:
            return True
        return self.sites_timing_out() >= self.TIMED_OUT_SITES

    def outage_started(self) -> None:
        self.before = statistics.median(self.recent) if self.recent else None
        self.recent.clear()

    def since(self) -> float | None:
        return statistics.median(self.recent) if self.recent else None

    def slow(self) -> bool:
        if len(self.recent) < self.ANSWERS:
            return True
        return self.before is not None and statistics.median(self.recent) > self.SLOW_FACTOR * self.before

    def describe(self) -> str:
        before, since = self.before, self.since()
        return (
            f"median answer {'-' if since is None else f'{since:.1f}'} s over the last {len(self.recent)}, "
            f"{'-' if before is None else f'{before:.1f}'} s before the outage"
        )


class TorOutageMiddleware:
    def __init__(
        self, crawler: Crawler, stats: StatsCollector, first_wait: float, max_wait: float, timeout: float = 180.0
    ) -> None:
        self.crawler = crawler
        self.stats = stats
        self.first_wait = first_wait
        self.max_wait = max_wait
        self.last_outage = float("-inf")
        self.outage_start = float("-inf")  # when Tor was first unreachable, this episode
        self.pace = TorPace()
        self.answered: set[str] = set()  # sites that have answered in this crawl
        self.tried: set[str] = set()  # sites requested in this crawl
        self.first_in_flight: Counter[str] = Counter()  # fetches in flight of sites that have not answered
        self.timeout = timeout
        self.start: float | None = None  # the crawl's first request
        self._cold_logged = float("-inf")
        self._was_cold = True
        self._in_grace = False
        self._slow_logged = float("-inf")
        self._closing = False
        self.clock = time.monotonic

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TorOutageMiddleware:
        assert crawler.stats is not None
        settings = crawler.settings
        middleware = cls(
            crawler,
            crawler.stats,
            settings.getfloat("ONIONDEX_TOR_OUTAGE_FIRST_WAIT"),
            settings.getfloat("ONIONDEX_TOR_OUTAGE_MAX_WAIT"),
            settings.getfloat("DOWNLOAD_TIMEOUT"),
        )
        crawler.signals.connect(middleware.request_scheduled, signal=signals.request_scheduled)
        return middleware

    def request_scheduled(self, request: Request, spider: Spider | None = None) -> None:
        """A redirect of one of our retries goes through the seen set, as the redirect of the request retried
        would (tests/crawl/test_resume.py saw a seed's front page fetched again as a retried link's target)."""
        retried = request.meta.get(REFILTER_REDIRECTS)
        if retried is not None and retried != request.url:
            del request.meta[REFILTER_REDIRECTS]
            request.dont_filter = False

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        site = self._seen(request)
        if site not in self.answered:
            self.first_in_flight[site] += 1

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        site = self._seen(request)
        first = site not in self.answered
        self.answered.add(site)
        self.first_in_flight.pop(site, None)
        latency = request.meta.get("download_latency")
        if latency is not None:
            self.pace.answered(latency, first)
        self._grace(self.clock())
        return response

    async def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Request | None:
        site = self._seen(request)
        if self.first_in_flight[site] > 1:
            self.first_in_flight[site] -= 1
        else:
            self.first_in_flight.pop(site, None)
        state = classify_exception(exception)
        now = self.clock()
        if state == TIMEOUT:
            self.pace.timed_out(site)
        if state == TOR_ERROR:
            if not self._grace(now):
                self.outage_start = now
                self.pace.outage_started()
            self._announce(now)
        elif state in (DOWN, TIMEOUT) and self._grace(now):
            self.stats.inc_value("oniondex/tor/after_outage_retries")
            if (state == TIMEOUT or request_site(request) in self.answered) and self._still_slow(now):
                self._announce(now)
        elif state == TIMEOUT and self._cold(now, request):
            self.stats.inc_value("oniondex/tor/cold_start_retries")
        else:
            return None
        waited = request.meta.get("oniondex_tor_waited", 0.0)
        if waited >= self.max_wait:
            if state != TOR_ERROR:
                return None  # the site's own failure after all: the usual retries
            self.stats.inc_value("oniondex/tor/outage_gave_up")
            logger.error("Tor proxy still unreachable after %.0f s; giving up on %s", waited, request.url)
            self._close_crawl()
            return None
        delay = min(max(self.first_wait, waited), self.max_wait - waited)
        if state != TOR_ERROR:
            delay = min(delay, AFTER_OUTAGE_MAX_DELAY)
        self.stats.inc_value("oniondex/tor/outage_retries")
        if state == TOR_ERROR:
            why = "Tor proxy unreachable"
        elif self._in_grace:
            why = f"onion {state} just after a Tor outage"
        else:
            why = "onion timeout while the Tor client is cold"
        logger.warning("%s (%s); retrying %s in %.0f s", why, exception, request.url, delay)
        await asyncio.sleep(delay)
        retry = request.replace(dont_filter=True)
        if not request.dont_filter:
            retry.meta[REFILTER_REDIRECTS] = request.url
        retry.meta["oniondex_tor_waited"] = waited + delay
        return retry

    def _seen(self, request: Request) -> str:
        site = request_site(request)
        self.tried.add(site)
        if self.start is None:
            self.start = self.clock()
        return site

    def _cold(self, now: float, request: Request) -> bool:
        """The crawl's start, while Tor's pace is not known: see the module's docstring. Logs each change."""
        assert self.start is not None
        since = now - self.start
        if since >= GRACE_CAP:
            cold = False
        else:
            timeout = request.meta.get("download_timeout", self.timeout)
            building = request_site(request) not in self.answered or bool(self.first_in_flight)
            cold = self.pace.cold(len(self.tried), timeout, building) or len(self.first_in_flight) >= FIRST_FETCHES_BUSY
        if cold != self._was_cold or (cold and now - self._cold_logged >= 10.0):  # one line per 10 s at most
            self._cold_logged = now
            first = self.pace.first_answers
            logger.info(
                "Tor client %s %.0f s after the start: %d of %d sites answered (last first answers' median %s s), "
                "%d sites' first fetches in flight, timeouts of %d sites in the last %d outcomes",
                "cold: timeouts are retried," if cold else "warm: timeouts are the sites' own,",
                since,
                self.pace.sites_answered,
                len(self.tried),
                f"{statistics.median(first):.1f}" if first else "-",
                len(self.first_in_flight),
                self.pace.sites_timing_out(),
                len(self.pace.outcomes),
            )
        self._was_cold = cold
        return cold

    def _grace(self, now: float) -> bool:
        """Within OUTAGE_GRACE of the last announced outage; logs the grace's end once."""
        in_grace = now - self.last_outage < OUTAGE_GRACE
        if self._in_grace and not in_grace:
            logger.info(
                "Tor outage over: grace ended %.0f s after Tor was first unreachable (%s)",
                now - self.outage_start,
                self.pace.describe(),
            )
        self._in_grace = in_grace
        return in_grace

    def _still_slow(self, now: float) -> bool:
        if now - self.outage_start >= GRACE_CAP or not self.pace.slow():
            return False
        if now - self._slow_logged >= 10.0:  # one line per 10 s of slowness is enough for the log
            self._slow_logged = now
            since = now - self.outage_start
            logger.info("Tor still slow %.0f s after the outage (%s): grace extended", since, self.pace.describe())
        self.stats.inc_value("oniondex/tor/grace_extended")
        return True

    def _announce(self, now: float) -> None:
        self.last_outage = now
        self._in_grace = True
        self.crawler.signals.send_catch_log(oniondex_signals.tor_outage)

    def _close_crawl(self) -> None:
        if self._closing:
            return
        self._closing = True
        self.stats.set_value("oniondex/tor/unavailable", 1)
        logger.error("Tor has been unreachable longer than ONIONDEX_TOR_OUTAGE_MAX_WAIT: stopping the crawl")
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=CLOSE_REASON))
