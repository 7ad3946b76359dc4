"""The Telegram spider: public channels through their web preview (t.me/s/CHANNEL), through Tor only.

First crawl of a channel: the newest page (channel info and the latest posts), then `?before=ID` back
to ONIONDEX_TELEGRAM_MAX_POSTS posts or ONIONDEX_TELEGRAM_MAX_DAYS days. A recrawl reads only what is
new (`?after=` the last seen id), then re-reads the newest ONIONDEX_TELEGRAM_RECENT_WINDOW known posts:
a changed one is yielded again (the index keeps a version per content), a vanished one is marked
deleted. One page at a time per channel; HTTP 429 and Telegram's flood notice (a 200 page saying too many
requests / FLOOD_WAIT) wait (Retry-After or the wait named, else doubling) and retry.
Channels a post forwards from or links to, and onions it links to, are listed in the summary as
discovered; with ONIONDEX_DISCOVER the channels are crawled too (the same limits).

Stats: oniondex/telegram/{channels,no_preview,pages,posts,new,edited,deleted,rate_limited,flood_notices,gave_up}.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from oniondex.config import layout_of
from oniondex.seeds import Seed, load_seeds_strict
from oniondex.telegram.discovery import channels_named, onions_named
from oniondex.telegram.flood import flood_wait
from oniondex.telegram.history import WindowCheck, content_hash, deleted_record, post_record, within_days
from oniondex.telegram.preview import parse_preview
from oniondex.telegram.records import ChannelInfo, Post, PostRecord
from oniondex.telegram.state import ChannelState
from oniondex.telegram.usernames import preview_url

STATS = "oniondex/telegram"


@dataclass
class ChannelCrawl:
    """One channel's progress in this crawl."""

    seed: Seed
    last_seen: int | None
    window: WindowCheck
    info: ChannelInfo | None = None
    emitted: int = 0
    newest: int | None = None
    outcome: str = "pending"
    counts: dict[str, int] = field(default_factory=lambda: {"posts": 0, "new": 0, "edited": 0, "deleted": 0})


class TelegramSpider(scrapy.Spider):
    name = "telegram"
    custom_settings: ClassVar[dict[str, Any]] = {
        # The onion summary and liveness are the onion spider's; this spider writes its own summary.
        "EXTENSIONS": {"crawler.extensions.site_status.SiteStatus": None},
        # 429 is handled here, with the wait Telegram asks for; Scrapy's retry would hammer at once.
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408],
        # History pages are a chain, not link depth: the post and day limits bound it.
        "DEPTH_LIMIT": 0,
    }

    def __init__(self, seeds: str | list[Seed] = "", hub: Any = None, **kwargs: Any) -> None:
        """`hub`: the crawl's DiscoveryHub (crawler/discovery.py), which lists what posts name and, with
        ONIONDEX_DISCOVER, crawls it; without one, discovered channels are crawled here directly."""
        super().__init__(**kwargs)
        self.hub = hub
        self._waiting: list[Seed] | None = []  # channels handed over before start(); None once started
        loaded = load_seeds_strict(seeds) if isinstance(seeds, str) else list(seeds)
        self.seeds = [seed for seed in loaded if seed.is_channel]
        if not self.seeds:
            raise ValueError("no channel seeds: pass a seed file with t.me/NAME, https://t.me/s/NAME or @NAME lines")
        self.channels: dict[str, ChannelCrawl] = {}
        self.discovered_channels: dict[str, str] = {}  # channel → the post that named it first
        self.discovered_onions: dict[str, str] = {}

    def _setting(self, name: str) -> Any:
        return self.crawler.settings.get(f"ONIONDEX_TELEGRAM_{name}")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        settings = self.crawler.settings
        self.state = ChannelState(layout_of(settings).telegram_db)
        self.base = str(self._setting("BASE_URL")).rstrip("/")
        self.started = datetime.now(UTC)
        for seed in self.seeds:
            yield self._first_request(seed)
        waiting, self._waiting = self._waiting or [], None
        for seed in waiting:
            if seed.channel not in self.channels:
                yield self._first_request(seed)

    def take_discovered(self, seed: Seed) -> None:
        """A channel discovered on an onion page or in a post: crawled like a seed, with the same limits."""
        if self._waiting is not None:
            self._waiting.append(seed)
        elif seed.channel not in self.channels:
            self.crawler.engine.crawl(self._first_request(seed))

    def _first_request(self, seed: Seed) -> scrapy.Request:
        last = self.state.last_seen(seed.channel)
        window = self.crawler.settings.getint("ONIONDEX_TELEGRAM_RECENT_WINDOW")
        crawl = ChannelCrawl(seed, last, WindowCheck(self.state.window(seed.channel, window) if last else {}))
        self.channels[seed.channel] = crawl
        self.crawler.stats.inc_value(f"{STATS}/channels")
        query = f"?after={last}" if last is not None else ""
        return self._request(crawl, query, self.parse_new if last is not None else self.parse_history)

    def _request(self, crawl: ChannelCrawl, query: str, callback: Any, attempt: int = 0) -> scrapy.Request:
        name = crawl.seed.channel
        return scrapy.Request(
            f"{self.base}/s/{name}{query}",
            callback=callback,
            errback=self.failed,
            dont_filter=attempt > 0,
            meta={
                "telegram_channel": name,  # the onion-only middleware lets t.me through for these requests only
                "oniondex_circuit": f"t.me/{name}",  # one Tor circuit per channel
                "download_slot": f"t.me/{name}",
                "ONIONDEX_MAX_PAGES_PER_SITE": 10**9,  # the spider's own limits apply, per channel
                "handle_httpstatus_list": [429],
                "telegram_attempt": attempt,
            },
            cb_kwargs={"crawl": crawl},
        )

    # --- first crawl: newest page, then older pages back to the limits -------------------------------

    async def parse_history(self, response: Response, crawl: ChannelCrawl) -> AsyncIterator[Any]:
        page = await self._previewed(response, crawl)
        if page is None:
            return
        limit, days, now = self._limits()
        in_limits = True
        for post in reversed(page.posts):  # newest first
            if crawl.emitted >= limit or not within_days(post, now, days):
                in_limits = False
                break
            yield self._emit(crawl, post, "posts")
        if in_limits and page.before is not None and page.posts:
            yield self._request(crawl, f"?before={page.before}", self.parse_history)
        else:
            self._done(crawl, "up")

    # --- recrawl: what is new, then the recent window again ---------------------------------------------

    async def parse_new(self, response: Response, crawl: ChannelCrawl) -> AsyncIterator[Any]:
        page = await self._previewed(response, crawl)
        if page is None:
            return
        for post in page.posts:
            if post.id > (crawl.last_seen or 0):
                crawl.window.seen[post.id] = content_hash(post)
                yield self._emit(crawl, post, "new")
        if page.after is not None and page.posts:
            yield self._request(crawl, f"?after={page.after}", self.parse_new)
        elif crawl.window.known:
            yield self._request(crawl, f"?before={(crawl.last_seen or 0) + 1}", self.parse_window)
        else:
            self._done(crawl, "up")

    async def parse_window(self, response: Response, crawl: ChannelCrawl) -> AsyncIterator[Any]:
        page = await self._page(response, crawl)
        if page is None:
            return
        for post in reversed(page.posts):
            known = post.id in crawl.window.known
            if crawl.window.add(post) and known:
                yield self._emit(crawl, post, "edited")
        if not crawl.window.reached_start and page.before is not None and page.posts:
            yield self._request(crawl, f"?before={page.before}", self.parse_window)
            return
        fetched_at = self._now()
        for post_id in crawl.window.deleted():
            self.state.mark_deleted(crawl.seed.channel, post_id, fetched_at)
            crawl.counts["deleted"] += 1
            self.crawler.stats.inc_value(f"{STATS}/deleted")
            yield deleted_record(crawl.seed.channel, post_id, fetched_at)
        self._done(crawl, "up")

    # --- shared ---------------------------------------------------------------------------------------

    async def _previewed(self, response: Response, crawl: ChannelCrawl) -> Any:
        """The parsed page of a channel that has a public preview; None after a retry was scheduled or
        the channel was reported as having none."""
        page = await self._page(response, crawl)
        if page is not None and not page.channel.has_preview:
            self._done(crawl, "no_preview")
            return None
        return page

    async def _page(self, response: Response, crawl: ChannelCrawl) -> Any:
        """The parsed page, or None after scheduling a retry of a 429 or a flood notice (or giving up on it)."""
        if response.status == 429:
            header = response.headers.get("Retry-After", b"").decode("latin-1").strip()
            await self._back_off(response, crawl, float(header) if header.isdigit() else None, "HTTP 429")
            return None
        flood = flood_wait(response.text)
        if flood is not None:
            self.crawler.stats.inc_value(f"{STATS}/flood_notices")
            await self._back_off(response, crawl, flood or None, "flood notice")
            return None
        self.crawler.stats.inc_value(f"{STATS}/pages")
        page = parse_preview(response.text, crawl.seed.channel, self.base)
        for warning in page.warnings:
            self.logger.warning("%s: %s", response.url, warning)
            self.crawler.stats.inc_value(f"{STATS}/markup_warnings")
        if crawl.info is None:
            crawl.info = page.channel
        return page

    async def _back_off(self, response: Response, crawl: ChannelCrawl, asked: float | None, why: str) -> None:
        """Wait what Telegram asked for (`asked` seconds), else a doubling backoff; then retry the request."""
        attempt = response.meta.get("telegram_attempt", 0) + 1
        self.crawler.stats.inc_value(f"{STATS}/rate_limited")
        if attempt > self.crawler.settings.getint("ONIONDEX_TELEGRAM_MAX_RETRIES"):
            self.crawler.stats.inc_value(f"{STATS}/gave_up")
            self.logger.error("%s: still rate limited after %d tries, giving up", response.url, attempt)
            self._done(crawl, "rate_limited")
            return
        first = self.crawler.settings.getfloat("ONIONDEX_TELEGRAM_BACKOFF")
        wait = asked if asked is not None else first * 2 ** (attempt - 1)
        wait = min(wait, self.crawler.settings.getfloat("ONIONDEX_TELEGRAM_MAX_BACKOFF"))
        self.logger.info("%s: %s, waiting %.1f s (try %d)", response.url, why, wait, attempt)
        await asyncio.sleep(wait)
        request = response.request
        assert request is not None
        retry = request.replace(dont_filter=True)
        retry.meta["telegram_attempt"] = attempt
        self.crawler.engine.crawl(retry)

    def _emit(self, crawl: ChannelCrawl, post: Post, kind: str) -> PostRecord:
        assert crawl.info is not None
        seed, fetched_at = crawl.seed, self._now()
        record = post_record(post, crawl.info, fetched_at, seed.tags, seed.case)
        self.state.record_post(seed.channel, post.id, record.content_sha256, fetched_at)
        crawl.emitted += 1
        crawl.newest = max(crawl.newest or 0, post.id)
        crawl.counts[kind] += 1
        self.crawler.stats.inc_value(f"{STATS}/{kind}")
        self._discover(crawl, post)
        return record

    def _discover(self, crawl: ChannelCrawl, post: Post) -> None:
        case = crawl.seed.case
        for onion in sorted(onions_named(post)):
            if onion not in self.discovered_onions:
                self.discovered_onions[onion] = post.url
                if self.hub is not None:
                    self.hub.site_named(onion, post.url, case)
        for name in sorted(channels_named(post)):
            if name in self.channels or name in self.discovered_channels:
                continue
            self.discovered_channels[name] = post.url
            self.crawler.stats.inc_value(f"{STATS}/discovered")
            if self.hub is not None:
                self.hub.channel_named(name, post.url, case)
            elif self.crawler.settings.getbool("ONIONDEX_DISCOVER"):
                note = f"named on {post.url}"
                self.take_discovered(Seed(preview_url(name), f"t.me/{name}", ("discovered",), case, note, name))

    def _limits(self) -> tuple[int, int, datetime]:
        settings = self.crawler.settings
        limit, days = settings.getint("ONIONDEX_TELEGRAM_MAX_POSTS"), settings.getint("ONIONDEX_TELEGRAM_MAX_DAYS")
        return limit, days, self.started

    def _now(self) -> str:
        return datetime.now(UTC).isoformat(timespec="seconds")

    def _done(self, crawl: ChannelCrawl, outcome: str) -> None:
        crawl.outcome = outcome
        info = crawl.info or ChannelInfo(crawl.seed.channel)
        if outcome == "no_preview":
            self.crawler.stats.inc_value(f"{STATS}/no_preview")
            self.logger.info("%s: no public preview (private, or saving restricted)", crawl.seed.channel)
        newest = max(filter(None, (crawl.newest, crawl.last_seen)), default=None)
        self.state.record_channel(crawl.seed.channel, info.title, info.has_preview, newest, self._now())

    def failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        crawl = request.cb_kwargs.get("crawl")
        self.logger.warning("%s: %s", request.url, failure.getErrorMessage())
        self.crawler.stats.inc_value(f"{STATS}/failed")
        if crawl is not None:
            crawl.outcome = "error"

    def closed(self, reason: str) -> None:
        if hasattr(self, "state"):  # not when the crawl stopped before start() (a refused index, no proxy)
            self.state.close()
        summary = {
            "finish_reason": reason,
            "channels": len(self.channels),
            "posts": sum(sum(c.counts[k] for k in ("posts", "new")) for c in self.channels.values()),
            **{k: sum(c.counts[k] for c in self.channels.values()) for k in ("new", "edited", "deleted")},
            "no_preview": sorted(n for n, c in self.channels.items() if c.outcome == "no_preview"),
            "discovered_channels": dict(sorted(self.discovered_channels.items())),
            "discovered_onions": dict(sorted(self.discovered_onions.items())),
            "per_channel": {
                n: {"outcome": c.outcome, "title": c.info.title if c.info else "", **c.counts}
                for n, c in sorted(self.channels.items())
            },
        }
        path = Path(self.crawler.settings.get("ONIONDEX_DATA_DIR")) / "last-telegram-crawl.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
        self.logger.info(
            "telegram crawl finished (%s): %d channels, %d posts", reason, len(self.channels), summary["posts"]
        )
