"""Pivot pages: an entity, a vendor across markets, a site, a page. Every identifier on them links to its pivot."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from web import lookup
from web.desk import Desk, current_user, get_desk
from web.templating import templates

router = APIRouter(dependencies=[Depends(current_user)])
DeskDep = Annotated[Desk, Depends(get_desk)]
UserDep = Annotated[str, Depends(current_user)]


@router.get("/entity/{value:path}", response_class=HTMLResponse, include_in_schema=False)
def entity_page(request: Request, desk: DeskDep, user: UserDep, value: str) -> Response:
    data = lookup.entity(desk.index, value)
    desk.audit.write(user, "view_entity", value=value, pages=len(data["pages"]), via="html")
    return templates.TemplateResponse(request, "entity.html", {"user": user, "data": data})


@router.get("/vendor/{name:path}", response_class=HTMLResponse, include_in_schema=False)
def vendor_page(request: Request, desk: DeskDep, user: UserDep, name: str) -> Response:
    data = lookup.vendor(desk.index, name, desk.layout)
    desk.audit.write(user, "view_vendor", name=name, sites=len(data["sites"]), via="html")
    return templates.TemplateResponse(request, "vendor.html", {"user": user, "data": data})


@router.get("/site/{onion}", response_class=HTMLResponse, include_in_schema=False)
def site_page(request: Request, desk: DeskDep, user: UserDep, onion: str) -> Response:
    data = lookup.site(desk.index, onion, desk.layout)
    desk.audit.write(user, "view_site", site=onion, pages=data["total_pages"], via="html")
    return templates.TemplateResponse(request, "site.html", {"user": user, "data": data})


@router.get("/page", response_class=HTMLResponse, include_in_schema=False)
def page_page(request: Request, desk: DeskDep, user: UserDep, url: str, sha256: str = "") -> Response:
    data = lookup.page(desk.index, url, sha256)
    desk.audit.write(user, "view_page", url=url, sha256=sha256 or None, found=data is not None, via="html")
    if data is None:
        raise HTTPException(status_code=404, detail="no such page in the index")
    return templates.TemplateResponse(request, "page.html", {"user": user, "data": data})
