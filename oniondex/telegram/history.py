"""From parsed posts to the records the pipelines take, and what a recrawl's re-read window shows:
which posts are new, which changed (a new version) and which vanished (deleted)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from oniondex.page import Page
from oniondex.telegram.records import ChannelInfo, Post, PostRecord


def content_hash(post: Post) -> str:
    """What makes a post's content: a change here is an edit. Views and the time are not content."""
    content = {
        "text": post.text,
        "media": sorted(post.media),
        "links": list(post.links),
        "previews": [asdict(p) for p in post.link_previews],
        "forwarded_from": post.forwarded_from,
        "reply_to": post.reply_to,
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def post_page(post: Post) -> Page:
    """The post as a page for extraction: its own text markup (links, bitcoin: URIs kept), no title (the
    channel's title is a field of its own: as the title it would make every post match the channel's name)."""
    body = f"<html><head><meta charset=utf-8></head><body>{post.html}</body></html>"
    return Page(post.url, body.encode("utf-8"), "text/html; charset=utf-8", 200)


def post_record(
    post: Post, channel: ChannelInfo, fetched_at: str, tags: tuple[str, ...] = (), case: str = ""
) -> PostRecord:
    return PostRecord(
        url=post.url,
        site=f"t.me/{post.channel}",
        fetched_at=fetched_at,
        status=200,
        seed_tags=list(tags),
        case=case,
        page=post_page(post),
        channel=post.channel,
        channel_title=channel.title,
        post_id=post.id,
        posted_at=post.time,
        views=post.views,
        author=post.author,
        forwarded_from=post.forwarded_from,
        reply_to=post.reply_to,
        hashtags=list(post.hashtags),
        link_previews=[asdict(p) for p in post.link_previews],
        media=list(post.media),
        edited=post.edited,
        content_sha256=content_hash(post),
    )


def deleted_record(channel: str, post_id: int, fetched_at: str) -> PostRecord:
    """A post that vanished from the re-read window: marks the indexed post deleted, keeps what was captured."""
    return PostRecord(
        url=f"https://t.me/{channel}/{post_id}",
        site=f"t.me/{channel}",
        fetched_at=fetched_at,
        status=410,
        channel=channel,
        post_id=post_id,
        deleted=True,
    )


def within_days(post: Post, now: datetime, max_days: int) -> bool:
    if max_days <= 0 or not post.time:
        return True
    return datetime.fromisoformat(post.time) >= now - timedelta(days=max_days)


@dataclass
class WindowCheck:
    """A recrawl re-reads the newest known posts; `known` is id → content hash from the last crawl."""

    known: dict[int, str]
    seen: dict[int, str] = field(default_factory=dict)

    def add(self, post: Post) -> bool:
        """Note a re-read post; True if it is new to the store or its content changed."""
        sha = content_hash(post)
        self.seen[post.id] = sha
        return self.known.get(post.id) != sha

    @property
    def reached_start(self) -> bool:
        return not self.known or (bool(self.seen) and min(self.seen) <= min(self.known))

    def deleted(self) -> list[int]:
        """Known posts missing from the range the re-read covered (its neighbours are still there)."""
        if not self.seen:
            return []
        low = min(self.seen)
        return sorted(i for i in self.known if i >= low and i not in self.seen)
