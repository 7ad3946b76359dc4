"""What a post points at (other channels: forwarded from, t.me links; onion sites: links), and which
channels an onion page names (t.me links, and @handles the entity extractor took for Telegram ones).

A page's @handle is a lead to crawl, so words that only look like one are not: CSS at-rules shown as
text (@media), chat mentions (@everyone), code annotations (@param), and handles the text gives for
another network ("Twitter @name"). E-mail addresses and PGP armour never yield a handle (the extractor's
handle pattern needs no word character or dot before the @, and armour has no @)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from oniondex.onion import is_valid_onion, normalise_onion
from oniondex.telegram.records import Post
from oniondex.telegram.usernames import UsernameError, normalise_username, username_from_reference

if TYPE_CHECKING:
    from oniondex.entities.extract import Entity


# Words after an @ that are not Telegram usernames in practice (the shape alone is valid).
NOT_HANDLES = frozenset(
    {"media", "import", "charset", "namespace", "supports", "keyframes", "layer", "container", "counter",
     "property", "document", "viewport", "everyone", "channel", "admin", "admins", "someone",
     "username", "mention", "param", "return", "returns", "throws", "override", "deprecated", "since",
     "author", "version", "example"}
)  # fmt: skip
# A handle given for another network: its name (or a label of it) just before the @.
_OTHER_NETWORK_RE = re.compile(
    r"(?:twitter|instagram|insta|tiktok|facebook|threads|mastodon|x\.com|(?<![a-z])(?:ig|fb|x))"
    r"\W{0,3}(?:id|acc|account)?\W{0,3}$|(?:트위터|트윗|인스타|인스타그램|페이스북|페북|틱톡)\W{0,3}(?:아이디)?\W{0,3}$"
)
OTHER_NETWORK_REACH = 24


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
        if entity.type != "telegram" or entity.value.lower() in NOT_HANDLES or _for_another_network(entity):
            continue
        try:
            found.add(normalise_username(entity.value))
        except UsernameError:
            continue
    return found


def _for_another_network(entity: Entity) -> bool:
    snippet = entity.snippet.lower()
    at = snippet.find("@" + entity.value.lower())
    if at < 0:
        return False  # a t.me link, or a labelled handle without its @
    return _OTHER_NETWORK_RE.search(snippet, max(0, at - OTHER_NETWORK_REACH), at) is not None
