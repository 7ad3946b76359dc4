"""The channel page: a Telegram channel's info, its post history (newest first) and the entities in its
posts, each a pivot to every post and page carrying it. A deleted post is shown as deleted with its earlier
capture; a post's own view (`/channel/NAME/ID`) shows every version the crawls kept (edits, deletion)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from oniondex.index import Index, SearchQuery
from oniondex.telegram.usernames import UsernameError, normalise_username
from web.desk import Desk, current_user, get_desk
from web.templating import templates

router = APIRouter(dependencies=[Depends(current_user)])
MAX_POSTS = 500


@router.get("/channel/{name}", response_class=HTMLResponse, include_in_schema=False)
def channel_page(
    request: Request,
    desk: Annotated[Desk, Depends(get_desk)],
    user: Annotated[str, Depends(current_user)],
    name: str,
    limit: Annotated[int, Query(ge=1, le=MAX_POSTS)] = 100,
) -> Response:
    try:
        username = normalise_username(name)
    except UsernameError as exc:
        raise HTTPException(status_code=404, detail="no such channel") from exc
    data = channel(desk.index, username, desk.layout.telegram_db, limit)
    desk.audit.write(user, "view_channel", channel=username, via="html")
    return templates.TemplateResponse(request, "channel.html", {"user": user, "data": data})


@router.get("/channel/{name}/{post_id}", response_class=HTMLResponse, include_in_schema=False)
def post_page(
    request: Request,
    desk: Annotated[Desk, Depends(get_desk)],
    user: Annotated[str, Depends(current_user)],
    name: str,
    post_id: int,
) -> Response:
    try:
        username = normalise_username(name)
    except UsernameError as exc:
        raise HTTPException(status_code=404, detail="no such channel") from exc
    data = post_versions(desk.index, username, post_id)
    if data is None:
        raise HTTPException(status_code=404, detail="no such post indexed")
    desk.audit.write(user, "view_post", channel=username, post=post_id, via="html")
    return templates.TemplateResponse(request, "channel_post.html", {"user": user, "data": data})


def channel(index: Index, username: str, state_db: Path, limit: int) -> dict[str, Any]:
    found = index.search(SearchQuery(site=f"t.me/{username}", limit=MAX_POSTS))
    records = [r for r in (index.get(hit.id) for hit in found.hits) if r]
    records.sort(key=lambda r: r.get("post_id", 0), reverse=True)
    entities = Counter((e["type"], e["value"]) for r in records for e in r.get("entities", []))
    posts = records[:limit]
    for post in posts:
        _mark_history(post, index.versions(post["url"]))
    return {
        "username": username,
        "info": _stored_info(state_db, username),
        "total": found.total,
        "posts": posts,
        "entities": [{"type": t, "value": v, "posts": n} for (t, v), n in entities.most_common()],
    }


def post_versions(index: Index, username: str, post_id: int) -> dict[str, Any] | None:
    """A post as last seen (deleted or not) and every version kept, oldest first; the deletion is a version
    with no text of its own (the capture before it is kept)."""
    url = f"https://t.me/{username}/{post_id}"
    current = index.get(url)
    if current is None:
        return None
    kept = index.versions(url)
    _mark_history(current, kept)
    versions = [
        {
            "fetched_at": v.get("fetched_at", ""),
            "deleted": bool(v.get("deleted")),
            "edited": bool(v.get("edited")),
            "text": v.get("text", ""),
            "entities": v.get("entities", []),
            "views": v.get("views"),
            "sha256": v.get("sha256", ""),
        }
        for v in kept
    ]
    return {"username": username, "post_id": post_id, "url": url, "post": current, "versions": versions}


def _mark_history(post: dict[str, Any], versions: list[dict[str, Any]]) -> None:
    """The post's history read from its versions (the indexed record is the last capture, which a deletion
    leaves in place): how many there are, and whether the last says it was deleted, and when."""
    post["version_count"] = len(versions)
    last = versions[-1] if versions else {}
    post["deleted"] = bool(last.get("deleted"))
    post["deleted_seen_at"] = last.get("fetched_at", "") if post["deleted"] else ""


def _stored_info(path: Path, username: str) -> dict[str, Any]:
    if not path.exists():
        return {}
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = db.execute(
            "SELECT title, has_preview, last_seen_id, crawled_at FROM channels WHERE username = ?", (username,)
        ).fetchone()
    finally:
        db.close()
    if row is None:
        return {}
    return {"title": row[0], "has_preview": bool(row[1]), "last_seen_id": row[2], "crawled_at": row[3]}
