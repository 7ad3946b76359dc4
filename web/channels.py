"""The channel page: a Telegram channel's info, its post history (newest first) and the entities in its
posts, each a pivot to every post and page carrying it. Post views are the page view (`/page?url=`)."""

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


def channel(index: Index, username: str, state_db: Path, limit: int) -> dict[str, Any]:
    found = index.search(SearchQuery(site=f"t.me/{username}", limit=MAX_POSTS))
    records = [r for r in (index.get(hit.id) for hit in found.hits) if r]
    records.sort(key=lambda r: r.get("post_id", 0), reverse=True)
    entities = Counter((e["type"], e["value"]) for r in records for e in r.get("entities", []))
    return {
        "username": username,
        "info": _stored_info(state_db, username),
        "total": found.total,
        "posts": records[:limit],
        "entities": [{"type": t, "value": v, "posts": n} for (t, v), n in entities.most_common()],
    }


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
