"""Telegram usernames: what names a public channel, and the one form we store (lower case, no @).

Rules (Telegram's): 5-32 characters of a-z, 0-9 and _, starting with a letter, not ending with _,
case-insensitive. `t.me/s/CH`, `t.me/CH/123`, `telegram.me/CH`, `@CH` and `tg://resolve?domain=CH` all
name CH; invite links (`t.me/+HASH`, `t.me/joinchat/HASH`) and t.me's own paths name no channel.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

USERNAME_RE = re.compile(r"[a-z][a-z0-9_]{3,30}[a-z0-9]")
TELEGRAM_HOSTS = frozenset({"t.me", "telegram.me", "www.t.me", "www.telegram.me"})
# Paths of t.me that are pages of Telegram itself, never channels.
RESERVED = frozenset(
    {"s", "share", "addstickers", "proxy", "socks", "iv", "login", "joinchat", "setlanguage", "bg",
     "addtheme", "addemoji", "boost", "contact", "c", "invoice", "confirmphone", "addlist", "i"}
)  # fmt: skip


class UsernameError(ValueError):
    """Not a Telegram channel reference; the message says why and what is accepted."""


def normalise_username(name: str) -> str:
    """`name` (with or without @) as a stored username; raises UsernameError if it breaks Telegram's rules."""
    lowered = name.strip().removeprefix("@").lower()
    if not 5 <= len(lowered) <= 32:
        raise UsernameError(f"{name!r}: a Telegram username has 5-32 characters")
    if not USERNAME_RE.fullmatch(lowered):
        raise UsernameError(
            f"{name!r}: a Telegram username is letters, digits and _, starts with a letter and does not end with _"
        )
    if lowered in RESERVED:
        raise UsernameError(f"{name!r} is a page of t.me, not a channel")
    return lowered


def is_telegram_host(host: str) -> bool:
    return host.lower().rstrip(".") in TELEGRAM_HOSTS


def username_from_reference(ref: str) -> str:
    """The channel a seed line or link names: `@CH`, `t.me/CH`, `https://t.me/s/CH`, `t.me/CH/ID`,
    `telegram.me/CH`, `tg://resolve?domain=CH`. Raises UsernameError for anything else."""
    text = ref.strip()
    if text.startswith("@"):
        return normalise_username(text)
    if text.lower().startswith("tg://"):
        domain = parse_qs(urlsplit(text).query).get("domain", [""])[0]
        return normalise_username(domain)
    parts = urlsplit(text if "://" in text else "https://" + text)
    if parts.scheme not in ("http", "https") or not is_telegram_host(parts.hostname or ""):
        raise UsernameError(f"{ref!r} is not a Telegram channel (t.me/NAME, https://t.me/s/NAME or @NAME)")
    segments = [s for s in parts.path.split("/") if s]
    if segments[:1] == ["s"]:
        segments = segments[1:]
    if not segments:
        raise UsernameError(f"{ref!r} names no channel")
    first = segments[0]
    if first.startswith("+") or first.lower() == "joinchat":
        raise UsernameError(f"{ref!r} is an invite link to a private chat, not a public channel")
    return normalise_username(first)


def preview_url(username: str, base: str = "https://t.me") -> str:
    return f"{base.rstrip('/')}/s/{username}"


def post_url(username: str, post_id: int) -> str:
    """A post's canonical address, whatever scheme or host it was fetched through."""
    return f"https://t.me/{username}/{post_id}"
