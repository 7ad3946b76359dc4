"""Investigator sessions in the crawl: a seed with `session=NAME` gets its cookies from the session store.

Cookies stay off for every other site (COOKIES_ENABLED is False). A session site has a jar of its own: its
cookies go out only on requests to that host (which TorProxyMiddleware puts on the site's own circuit), a
Cookie header on any other request is removed, and the site's Set-Cookie answers go back into its jar only.
A session with credentials and a login profile and no cookies logs in once, through the site's circuit,
before the site's first request (oniondex/sessions/login.py). Requests of a session site go one at a time
(the next leaves once the previous one's answer is in) and ONIONDEX_SESSION_DELAY seconds apart (or the
session's own delay): a market's flood limit is not tripped, and a session that dies is seen at the next
page: its answer is judged here too (the same pure `classify_wall` WallMiddleware reports with) before the
next request's turn comes, and the site's waiting requests are held.
"""

from __future__ import annotations

import asyncio
import logging
import time
from http.cookiejar import Cookie
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import TextResponse
from scrapy.http.cookies import CookieJar

from crawler.responses import page_of
from crawler.signals import site_result
from oniondex.config import layout_of
from oniondex.sessions.login import Credentials, LoginFailed, log_in, tor_client
from oniondex.sessions.store import SessionStore, SessionStoreError, key_from_env
from oniondex.sessions.walls import Wall, classify_wall, load_wall_rules

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from oniondex.sessions.model import Session, StoredCookie

logger = logging.getLogger(__name__)
_TURN = "_oniondex_session_turn"  # request.meta: the event set once this request has its answer


def _cookie(stored: StoredCookie) -> Cookie:
    domain = stored.domain
    return Cookie(
        0,
        stored.name,
        stored.value,
        None,
        False,
        domain,
        True,
        domain.startswith("."),
        stored.path,
        True,
        stored.secure,
        stored.expires,
        stored.expires is None,
        None,
        None,
        {},
    )


class SessionMiddleware:
    def __init__(self, crawler: Crawler, sessions: dict[str, Session], default_delay: float) -> None:
        self.crawler = crawler
        self.sessions = sessions  # by site
        self.jars = {site: CookieJar() for site in sessions}
        for site, session in sessions.items():
            for stored in session.cookies:
                self.jars[site].set_cookie(_cookie(stored))
        self.delays = {site: s.delay if s.delay is not None else default_delay for site, s in sessions.items()}
        self._next_slot: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._logged_in: dict[str, str] = {}  # site -> "" (ok) or why the login failed
        self._answered: dict[str, asyncio.Event] = {}  # site -> set once its request in flight has an answer
        # Bounded: a request another middleware replaces on error (a retry) never reports back.
        self._turn_timeout = crawler.settings.getfloat("DOWNLOAD_TIMEOUT") + 5
        self.paused: dict[str, str] = {}
        self.walls = load_wall_rules(crawler.settings.get("ONIONDEX_WALLS_FILE") or None)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SessionMiddleware:
        seeds = [s for s in getattr(crawler.spider, "seeds", []) if getattr(s, "session", "")]
        if not seeds:
            raise NotConfigured("no seed names a session (session=NAME)")
        store = SessionStore(layout_of(crawler.settings).sessions, key_from_env())
        sessions = {}
        for seed in seeds:
            session = store.get(seed.session)
            if session.site != seed.site:
                raise SessionStoreError(f"session {seed.session!r} is for {session.site}, not {seed.site}")
            sessions[seed.site] = session
        return cls(crawler, sessions, crawler.settings.getfloat("ONIONDEX_SESSION_DELAY"))

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        site = (urlsplit(request.url).hostname or "").lower()
        request.headers.pop(b"Cookie", None)  # whatever a redirect copied: only the site's own jar speaks
        if site not in self.sessions:
            return
        async with self._locks.setdefault(site, asyncio.Lock()):
            await self._previous_answered(site)
            await self._ensure_login(site)
            if site in self.paused:
                self._inc(f"oniondex/walls/held/{self.paused[site]}")
                raise IgnoreRequest(f"site paused: {self.paused[site]}")
            await self._pace(site)
            self._answered[site] = request.meta[_TURN] = asyncio.Event()
        self.jars[site].add_cookie_header(request)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        site = (urlsplit(request.url).hostname or "").lower()
        if site in self.jars and (urlsplit(response.url).hostname or "").lower() == site:
            self.jars[site].extract_cookies(response, request)
            wall = self._wall(response)
            if wall is not None:
                self.paused[site] = wall.state
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: BaseException, spider: Spider | None = None) -> None:
        self._release(request)

    def _wall(self, response: Response) -> Wall | None:
        if not isinstance(response, TextResponse):
            return None
        return classify_wall(page_of(response), self.walls)

    def _release(self, request: Request) -> None:
        """This request's turn is over (not another's: a request dropped before its turn releases nothing)."""
        turn = request.meta.pop(_TURN, None)
        if turn is not None:
            turn.set()

    async def _previous_answered(self, site: str) -> None:
        answered = self._answered.get(site)
        if answered is not None and not answered.is_set():
            try:
                await asyncio.wait_for(answered.wait(), self._turn_timeout)
            except TimeoutError:
                logger.debug("%s: no answer to the previous request in %.0f s; going on", site, self._turn_timeout)

    async def _pace(self, site: str) -> None:
        now = time.monotonic()
        slot = max(now, self._next_slot.get(site, now))
        self._next_slot[site] = slot + self.delays[site]
        if slot > now:
            await asyncio.sleep(slot - now)

    async def _ensure_login(self, site: str) -> None:
        session = self.sessions[site]
        if site not in self._logged_in:
            self._logged_in[site] = ""
            if not session.cookies and session.has_credentials:
                self._logged_in[site] = await asyncio.to_thread(self._log_in, site, session)
                if self._logged_in[site]:
                    detail = f"login failed: {self._logged_in[site]}"
                    self.crawler.signals.send_catch_log(site_result, site=site, state="needs_login", detail=detail)
        if self._logged_in[site]:
            self._inc("oniondex/walls/held/needs_login")
            raise IgnoreRequest(f"login failed: {self._logged_in[site]}")

    def _log_in(self, site: str, session: Session) -> str:
        """'' when logged in (the jar holds the new cookies), else why not; the site then needs_login."""
        assert session.profile is not None
        try:
            with tor_client(site, self.crawler.settings.get("ONIONDEX_PROXY", "")) as client:
                cookies = log_in(
                    client,
                    f"http://{site}",
                    session.profile,
                    Credentials(session.username, session.password),
                    self.walls,
                )
        except (LoginFailed, httpx.HTTPError, OSError, ValueError) as exc:
            logger.warning("%s: login with session %r failed: %s", site, session.name, exc)
            return str(exc) or type(exc).__name__
        for stored in cookies:
            self.jars[site].set_cookie(_cookie(stored))
        self._inc("oniondex/sessions/logins")
        logger.info("%s: logged in with session %r", site, session.name)
        return ""

    def _inc(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)
