"""Walls are recognised, not indexed; and a careful member never sends a dangerous request.

A response that is a wall (oniondex/sessions/walls.py: login, session expired, queue, captcha, ban)
never reaches the spider: the site's state becomes needs_login / walled / banned (the site status and
liveness store record it) and every later request of that site is held back, counted, not failed.
Requests the member rules deny (logout, buy, delete, withdraw, messages, settings; any method but GET and
HEAD) are never sent, on any site.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import TextResponse

from crawler.responses import page_of
from crawler.signals import site_result
from oniondex.sessions.member_rules import MemberRules, load_member_rules
from oniondex.sessions.walls import WallRules, classify_wall, load_wall_rules

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class WallMiddleware:
    def __init__(self, crawler: Crawler, walls: WallRules, rules: MemberRules) -> None:
        self.crawler = crawler
        self.walls = walls
        self.rules = rules
        self.paused: dict[str, str] = {}  # site -> the state that holds its requests

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WallMiddleware:
        settings = crawler.settings
        if not settings.getbool("ONIONDEX_WALLS_ENABLED"):
            raise NotConfigured("wall detection is off (ONIONDEX_WALLS_ENABLED)")
        walls = load_wall_rules(settings.get("ONIONDEX_WALLS_FILE") or None)
        return cls(crawler, walls, load_member_rules(settings.get("ONIONDEX_MEMBER_RULES_FILE") or None))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        refusal = self.rules.refusal(request.method, request.url)
        if refusal:
            self._inc("oniondex/member_rules/denied")
            logger.debug("never sent: %s %s (%s)", request.method, request.url, refusal)
            raise IgnoreRequest(f"careful member: {refusal}")
        state = self.paused.get(_site(request))
        if state:
            self._inc(f"oniondex/walls/held/{state}")
            raise IgnoreRequest(f"site paused: {state}")

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if not isinstance(response, TextResponse):
            return response
        wall = classify_wall(page_of(response), self.walls)
        if wall is None:
            return response
        site = _site(request)
        first = site not in self.paused
        self.paused[site] = wall.state
        self._inc(f"oniondex/walls/{wall.kind}")
        if first:
            logger.warning("%s: %s (%s): its other requests wait for an investigator", site, wall.state, wall.detail)
        self.crawler.signals.send_catch_log(site_result, site=site, state=wall.state, detail=wall.detail)
        raise IgnoreRequest(f"wall: {wall.kind}")

    def _inc(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)


def _site(request: Request) -> str:
    return request.cb_kwargs.get("site") or (urlsplit(request.url).hostname or "").lower()
