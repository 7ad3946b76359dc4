"""Telegram's flood notice: under a burst t.me may answer 200 with a bare "Too many requests" / FLOOD_WAIT
page instead of HTTP 429. `flood_wait(html)` tells such a page from a real one (a preview or contact page
is never a flood notice, whatever its posts say) and reads the wait it asks for."""

from __future__ import annotations

import re

# Markup only real t.me pages carry: a post that quotes "too many requests" is not a flood notice.
_REAL_PAGE = ("tgme_widget_message", "tgme_channel_info", "tgme_page_title", "tme_no_messages_found")
_NOTICE = re.compile(r"too\s+many\s+requests|flood[_\s]?wait", re.IGNORECASE)
_WAIT = re.compile(r"(?:retry\s+after|flood_wait_|wait\s+of|try\s+again\s+in)\s*(\d{1,6})", re.IGNORECASE)
_HEAD = 8192  # a flood notice is short; a long page is not one


def flood_wait(html: str) -> float | None:
    """None for a real page; else the seconds the notice asks to wait (0.0 when it names none)."""
    head = html[:_HEAD]
    if len(html) > _HEAD or any(marker in head for marker in _REAL_PAGE) or not _NOTICE.search(head):
        return None
    wait = _WAIT.search(head)
    return float(wait.group(1)) if wait else 0.0
