"""Typed records of the Telegram preview: what the parser returns and the crawl indexes."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from oniondex.records import PageRecord

# The kinds of media a post can carry (never downloaded: only their presence is recorded).
MEDIA_KINDS = ("photo", "video", "voice", "document", "poll", "sticker", "location", "album", "roundvideo")


@dataclass(frozen=True)
class ChannelInfo:
    username: str
    title: str = ""
    description: str = ""
    subscribers: int | None = None  # approximate: Telegram rounds ("27.4K")
    subscribers_text: str = ""
    has_preview: bool = True  # False: private, or the owner restricts saving content


@dataclass(frozen=True)
class LinkPreview:
    url: str
    site_name: str = ""
    title: str = ""
    description: str = ""


@dataclass(frozen=True)
class Post:
    channel: str
    id: int
    url: str  # https://t.me/CHANNEL/ID
    time: str = ""  # ISO 8601, as the page gives it
    views: int | None = None
    views_text: str = ""
    text: str = ""
    html: str = ""  # the message text's own markup, for entity extraction (links, bitcoin: URIs)
    author: str = ""  # the signature of a signed post
    forwarded_from: str = ""  # a channel username, or the shown name of a hidden sender
    forwarded_from_url: str = ""
    reply_to: int | None = None
    hashtags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    link_previews: tuple[LinkPreview, ...] = ()
    media: tuple[str, ...] = ()
    edited: bool = False
    service: bool = False  # "pinned a message", "changed the title": Telegram's own notices


@dataclass(frozen=True)
class PreviewPage:
    """One t.me/s page: the channel, its posts oldest first, and the cursors to the neighbouring pages."""

    channel: ChannelInfo
    posts: tuple[Post, ...] = ()
    before: int | None = None  # ?before= for older posts, when there are any
    after: int | None = None  # ?after= for newer posts, when there are any
    warnings: tuple[str, ...] = ()  # parts of the markup that were missing or unreadable


@dataclass
class PostRecord(PageRecord):
    """One post as it flows through the pipelines: a page (its text, for entities, tags and language)
    plus the post's own fields. `site` is `t.me/CHANNEL`; the index stores it as kind `posts`."""

    channel: str = ""
    channel_title: str = ""
    post_id: int = 0
    posted_at: str = ""
    views: int | None = None
    author: str = ""
    forwarded_from: str = ""
    reply_to: int | None = None
    hashtags: list[str] = field(default_factory=list)
    link_previews: list[dict[str, str]] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    edited: bool = False
    deleted: bool = False
    content_sha256: str = ""  # of the post's own fields: a change means a new version

    def own_fields(self) -> dict[str, Any]:
        own = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _PAGE_FIELDS}
        return {**own, "doc_kind": "post"}


_PAGE_FIELDS = {f.name for f in fields(PageRecord)}
