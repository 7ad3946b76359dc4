"""What a post points at (other channels: forwarded from, t.me links; onion sites: links), and which
channels an onion page names (t.me links, and @handles the entity extractor took for Telegram ones)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from oniondex.onion import is_valid_onion, normalise_onion
from oniondex.telegram.records import Post
from oniondex.telegram.usernames import UsernameError, normalise_username, username_from_reference

if TYPE_CHECKING:
    from oniondex.entities.extract import Entity


def channels_named(post: Post) -> set[str]:
    """Channels a post forwards from or links to, other than its own (hidden senders name none)."""
    refs = [post.forwarded_from_url, *post.links, *(p.url for p in post.link_previews)]
    found = set()
    for ref in filter(None, refs):
        try:
            found.add(username_from_reference(ref))
        except UsernameError:
            continue
    return found - {post.channel}


def onions_named(post: Post) -> set[str]:
    hosts = {urlsplit(link).hostname or "" for link in post.links}
    return {normalise_onion(host) for host in hosts if is_valid_onion(host)}


def channels_on_page(entities: Iterable[Entity], links: Iterable[str] = ()) -> set[str]:
    """Channels an onion page names: its t.me links, and its `telegram` entities (a bare @handle is one
    only on a page with a Telegram cue: the extractor decides). Names that break Telegram's rules are not."""
    found = set()
    for link in links:
        try:
            found.add(username_from_reference(link))
        except UsernameError:
            continue
    for entity in entities:
        if entity.type == "telegram":
            try:
                found.add(normalise_username(entity.value))
            except UsernameError:
                continue
    return found
