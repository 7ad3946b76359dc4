"""Investigator sessions in the crawl: a seed with `session=NAME` gets its cookies from the session store.

Cookies stay off for every other site (COOKIES_ENABLED is False). A session site has a jar of its own: its
cookies go out only on requests to that host (which TorProxyMiddleware puts on the site's own circuit), a
Cookie header on any other request is removed, and the site's Set-Cookie answers go back into its jar only.
A session with credentials and a login profile and no cookies logs in once, through the site's circuit,
before the site's first request (oniondex/sessions/login.py). Requests of a session site are paced:
ONIONDEX_SESSION_DELAY seconds apart (or the session's own delay), one at a time.
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
from scrapy.http.cookies import CookieJar

from crawler.signals import site_result
from oniondex.config import layout_of
from oniondex.sessions.login import Credentials, LoginFailed, log_in, tor_client
from oniondex.sessions.store import SessionStore, SessionStoreError, key_from_env
from oniondex.sessions.walls import load_wall_rules

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from oniondex.sessions.model import Session, StoredCookie

logger = logging.getLogger(__name__)


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
            await self._ensure_login(site)
            await self._pace(site)
        self.jars[site].add_cookie_header(request)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        site = (urlsplit(request.url).hostname or "").lower()
        if site in self.jars and (urlsplit(response.url).hostname or "").lower() == site:
            self.jars[site].extract_cookies(response, request)
        return response

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
        rules = load_wall_rules(self.crawler.settings.get("ONIONDEX_WALLS_FILE") or None)
        try:
            with tor_client(site, self.crawler.settings.get("ONIONDEX_PROXY", "")) as client:
                cookies = log_in(
                    client, f"http://{site}", session.profile, Credentials(session.username, session.password), rules
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
