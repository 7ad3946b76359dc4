"""Logging in and out: a form for the browser, JSON for tools. Both are audited, failures included."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from web.accounts import SESSION_LIFETIME
from web.desk import SESSION_COOKIE, Desk, get_desk, session_token
from web.security import local_path
from web.templating import templates

router = APIRouter()
DeskDep = Annotated[Desk, Depends(get_desk)]


class Credentials(BaseModel):
    user: str
    password: str


class SessionToken(BaseModel):
    token: str
    user: str


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request, next: str = "/search") -> Response:
    return templates.TemplateResponse(request, "login.html", {"next": local_path(next), "error": ""})


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    desk: DeskDep,
    user: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/search",
) -> Response:
    if not _check(desk, request, user, password):
        context = {"next": local_path(next), "error": "Wrong user name or password."}
        return templates.TemplateResponse(request, "login.html", context, status_code=401)
    response = RedirectResponse(local_path(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        desk.accounts.open_session(user),
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, desk: DeskDep) -> Response:
    _close(desk, request)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/api/login", tags=["auth"], responses={401: {"description": "wrong user name or password"}})
def api_login(request: Request, desk: DeskDep, credentials: Credentials) -> Any:
    """A session token for `Authorization: Bearer TOKEN`, valid for 12 hours."""
    if not _check(desk, request, credentials.user, credentials.password):
        return JSONResponse({"detail": "wrong user name or password"}, status_code=401)
    return SessionToken(token=desk.accounts.open_session(credentials.user), user=credentials.user)


@router.post("/api/logout", tags=["auth"], status_code=204)
def api_logout(request: Request, desk: DeskDep) -> Response:
    _close(desk, request)
    return Response(status_code=204)


def _check(desk: Desk, request: Request, user: str, password: str) -> bool:
    ok = desk.accounts.verify(user, password)
    client = request.client.host if request.client else ""
    desk.audit.write(user, "login" if ok else "login_failed", client=client)
    return ok


def _close(desk: Desk, request: Request) -> None:
    token = session_token(request)
    user = desk.accounts.session_user(token) if token else None
    if user:
        desk.audit.write(user, "logout")
        desk.accounts.close_session(token)
