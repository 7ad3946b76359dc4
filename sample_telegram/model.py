"""What the sample Telegram holds: channels and posts, each with the truth a crawl should recover."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Segment:
    """A piece of a post's text: plain text, a bold span, an emoji, a hashtag or a link."""

    kind: str  # text | bold | emoji | hashtag | link
    text: str
    href: str = ""


@dataclass(frozen=True)
class SamplePreview:
    url: str
    site_name: str
    title: str
    description: str


@dataclass
class SamplePost:
    id: int
    time: str  # ISO 8601 with +00:00, as Telegram writes it
    lines: list[list[Segment]]
    views: int
    author: str = ""
    forwarded_from: str = ""  # username, or a hidden sender's shown name
    forwarded_from_url: str = ""
    forwarded_from_title: str = ""
    reply_to: int | None = None
    media: tuple[str, ...] = ()
    preview: SamplePreview | None = None
    edited: bool = False
    entities: list[tuple[str, str]] = field(default_factory=list)  # (type, normalised value)
    tags: list[str] = field(default_factory=list)  # drug-trade tags the text should get

    @property
    def text(self) -> str:
        return "\n".join("".join(s.text for s in line) for line in self.lines)

    @property
    def hashtags(self) -> list[str]:
        return list(dict.fromkeys(s.text[1:].lower() for line in self.lines for s in line if s.kind == "hashtag"))

    @property
    def links(self) -> list[str]:
        return list(dict.fromkeys(s.href for line in self.lines for s in line if s.kind == "link"))


@dataclass
class SampleChannel:
    username: str
    title: str
    description: str
    subscribers: int
    language: str
    genre: str
    has_preview: bool = True
    redirects: bool = False  # no preview: t.me/s/CH answers with a redirect to t.me/CH
    rate_limited: tuple[int, ...] = ()  # the n-th requests (1-based) for this channel get HTTP 429
    retry_after: str = "1"  # the Retry-After header sent with them ("" for none)
    posts: list[SamplePost] = field(default_factory=list)

    def truth(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "title": self.title,
            "description": self.description,
            "subscribers_text": subscribers_text(self.subscribers, self.has_preview),
            "has_preview": self.has_preview,
            "language": self.language,
            "posts": [post_truth(self.username, p) for p in self.posts] if self.has_preview else [],
        }


def count_text(value: int) -> str:
    """Telegram's rounding: 44, 4.2K, 1.1M."""
    if value < 1000:
        return str(value)
    if value < 1_000_000:
        return f"{value / 1000:.1f}".removesuffix(".0") + "K"
    return f"{value / 1_000_000:.1f}".removesuffix(".0") + "M"


def subscribers_text(value: int, has_preview: bool) -> str:
    # The contact page writes the exact count with a thin grouping space; the preview rounds it.
    return f"{value:,}".replace(",", " ") + " subscribers" if not has_preview else count_text(value)


def rounded(text: str) -> int:
    scale = {"K": 1000, "M": 1_000_000}.get(text[-1:], 1)
    return round(float(text.rstrip("KM").replace(" ", "")) * scale)


def post_truth(channel: str, post: SamplePost) -> dict[str, Any]:
    views = count_text(post.views)
    return {
        "channel": channel,
        "id": post.id,
        "url": f"https://t.me/{channel}/{post.id}",
        "time": post.time,
        "views": rounded(views),
        "views_text": views,
        "text": post.text,
        "author": post.author,
        "forwarded_from": post.forwarded_from,
        "reply_to": post.reply_to,
        "hashtags": post.hashtags,
        "links": post.links,
        "link_previews": [vars(post.preview)] if post.preview else [],
        "media": list(post.media),
        "edited": post.edited,
        "entities": sorted(set(post.entities)),
        "tags": sorted(set(post.tags)),
    }
