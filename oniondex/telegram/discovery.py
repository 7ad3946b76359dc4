"""What a post points at: other channels (forwarded from, t.me links) and onion sites (links)."""

from __future__ import annotations

from urllib.parse import urlsplit

from oniondex.onion import is_valid_onion, normalise_onion
from oniondex.telegram.records import Post
from oniondex.telegram.usernames import UsernameError, username_from_reference


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
