"""The JSON API: the same data as each HTML view (web/lookup.py), documented at /api/openapi.json."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from web import lookup
from web.desk import Desk, current_user, get_desk
from web.query import SORTS

router = APIRouter(
    prefix="/api", dependencies=[Depends(current_user)], responses={401: {"description": "login required"}}
)
QUERY_HELP = 'words, "phrases", AND/OR/NOT, -word, field:value (site:, lang:, btc:, vendor:, type:, tag:, after:, …)'
QUERY_HELP = 'words, "phrases", AND/OR/NOT, -word, field:value (site:, lang:, btc:, vendor:, type:, tag:, after:, …)'
DeskDep = Annotated[Desk, Depends(get_desk)]
UserDep = Annotated[str, Depends(current_user)]


@router.get("/search", tags=["search"])
def api_search(
    desk: DeskDep,
    user: UserDep,
    q: Annotated[str, Query(description=QUERY_HELP)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = lookup.PER_PAGE,
    sort: Annotated[str, Query(pattern="^(" + "|".join(SORTS) + ")$")] = "relevance",
) -> dict[str, Any]:
    """Ranked pages, facets and the total. `snippet` is raw crawled text (escape it before showing it);
    `matches` are the [start, end) character offsets of the matched words in it, to mark after escaping."""
    data = lookup.search(desk.index, q, page=page, sort=sort, per_page=per_page)
    desk.audit.write(user, "search", query=q, sort=sort, page=page, total=data["total"], via="api")
    return data


@router.get("/entity/{value:path}", tags=["pivots"])
def api_entity(desk: DeskDep, user: UserDep, value: str) -> dict[str, Any]:
    """Every page, site and vendor where an entity value (address, onion, PGP fingerprint, handle, email) appears."""
    data = lookup.entity(desk.index, value)
    desk.audit.write(user, "view_entity", value=value, pages=len(data["pages"]), via="api")
    return data


@router.get("/vendor/{name:path}", tags=["pivots"])
def api_vendor(desk: DeskDep, user: UserDep, name: str) -> dict[str, Any]:
    """A vendor across markets: its view on each site with its identifiers; `links` join the sites, `strong` by a
    shared PGP key, payout address or contact, `weak` by the name only."""
    data = lookup.vendor(desk.index, name, desk.layout)
    desk.audit.write(user, "view_vendor", name=name, sites=len(data["sites"]), via="api")
    return data


@router.get("/site/{onion}", tags=["pivots"])
def api_site(desk: DeskDep, user: UserDep, onion: str) -> dict[str, Any]:
    """A site: its liveness, pages, listings, vendors and entities."""
    data = lookup.site(desk.index, onion, desk.layout)
    desk.audit.write(user, "view_site", site=onion, pages=data["total_pages"], via="api")
    return data


@router.get("/page", tags=["pivots"], responses={404: {"description": "no such page in the index"}})
def api_page(desk: DeskDep, user: UserDep, url: str, sha256: str = "") -> dict[str, Any]:
    """A page's extracted text and records (the captured HTML is never served), and its versions."""
    data = lookup.page(desk.index, url, sha256)
    desk.audit.write(user, "view_page", url=url, sha256=sha256 or None, found=data is not None, via="api")
    if data is None:
        raise HTTPException(status_code=404, detail="no such page in the index")
    return data
