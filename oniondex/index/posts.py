"""Telegram posts in the index: their own document kind (`posts`, index_mappings/posts.json), searched
together with the pages, with the same derived documents (versions, entities, listings, vendors, sites).

A post's id is its URL (https://t.me/CHANNEL/ID). A changed post adds a version (keyed by its content
hash); a deleted one is marked `deleted` in place, its text and earlier versions kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from oniondex.index.documents import Action, doc_key, iso, page_actions, page_document

# The document kinds a search covers.
SEARCHED_KINDS = ("pages", "posts")
POST_FIELDS = (
    "channel", "channel_title", "post_id", "posted_at", "views", "author", "forwarded_from", "reply_to",
    "hashtags", "media", "edited", "deleted",
)  # fmt: skip


def post_actions(post: dict[str, Any]) -> Iterator[Action]:
    """Every write one post record causes: the post first, then what a page would derive from it."""
    key = doc_key(post.get("id") or post["url"])
    if post.get("deleted"):
        seen = iso(post["fetched_at"])
        yield Action("posts", key, {"deleted": True, "deleted_seen_at": seen})
        # The post's history ends with its deletion; the captures before it stay as they were.
        marker = {"url": post["url"], "site": post["site"], "sha256": "deleted", "fetched_at": seen, "title": ""}
        yield Action("versions", doc_key(f"{post['url']}#deleted"), {**marker, "record": post}, create_only=True)
        return
    for action in page_actions({**post, "sha256": post.get("content_sha256") or post.get("sha256", "")}):
        if action.kind == "pages":
            yield Action("posts", key, post_document(post), replace=True)
        else:
            yield action


def stored_record(doc: dict[str, Any]) -> dict[str, Any]:
    """The record `Index.get` returns for a stored page or post document: the record as indexed, and for a
    post since seen deleted, marked so (the record keeps the text the post had)."""
    if not doc.get("deleted"):
        return doc["record"]
    return {**doc["record"], "deleted": True, "deleted_seen_at": doc.get("deleted_seen_at")}


def post_document(post: dict[str, Any]) -> dict[str, Any]:
    doc = page_document(post)
    doc.update({name: post.get(name) for name in POST_FIELDS})
    doc["posted_at"] = iso(post["posted_at"]) if post.get("posted_at") else None
    doc["link_urls"] = sorted({p["url"] for p in post.get("link_previews", []) if p.get("url")})
    doc["deleted_seen_at"] = None
    return {k: v for k, v in doc.items() if v is not None}
