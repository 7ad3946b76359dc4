"""Logging in and out: a form for the browser, JSON for tools. Both are audited, failures included."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from web.accounts import SESSION_LIFETIME
from web.desk import SESSION_COOKIE, Desk, get_desk, session_token
from web.security import csrf_ok, local_path
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
    csrf: Annotated[str, Form()] = "",
) -> Response:
    if not csrf_ok(request.state.csrf, csrf):  # login CSRF: a foreign form would plant its own session
        context = {"next": local_path(next), "error": "The login form had expired: please log in again."}
        return templates.TemplateResponse(request, "login.html", context, status_code=403)
    verdict = _check(desk, request, user, password)
    if verdict is not True:
        error = "Wrong user name or password." if verdict is False else f"Too many tries: wait {verdict} s."
        context = {"next": local_path(next), "error": error}
        status, headers = (401, None) if verdict is False else (429, {"retry-after": str(verdict)})
        return templates.TemplateResponse(request, "login.html", context, status_code=status, headers=headers)
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
def logout(request: Request, desk: DeskDep, csrf: Annotated[str, Form()] = "") -> Response:
    if not csrf_ok(request.state.csrf, csrf):
        return Response("cross-site logout refused", status_code=403, media_type="text/plain")
    _close(desk, request)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post(
    "/api/login",
    tags=["auth"],
    responses={
        401: {"description": "wrong user name or password"},
        429: {"description": "too many failed tries: wait the `Retry-After` seconds"},
    },
)
def api_login(request: Request, desk: DeskDep, credentials: Credentials) -> Any:
    """A session token for `Authorization: Bearer TOKEN`, valid for 12 hours. Failed tries slow down the next
    ones (per account and per client address), then lock them for a while (429 with `Retry-After`)."""
    verdict = _check(desk, request, credentials.user, credentials.password)
    if verdict is False:
        return JSONResponse({"detail": "wrong user name or password"}, status_code=401)
    if verdict is not True:
        detail = f"too many failed logins: try again in {verdict} s"
        return JSONResponse({"detail": detail}, status_code=429, headers={"retry-after": str(verdict)})
    return SessionToken(token=desk.accounts.open_session(credentials.user), user=credentials.user)


@router.post("/api/logout", tags=["auth"], status_code=204)
def api_logout(request: Request, desk: DeskDep) -> Response:
    _close(desk, request)
    return Response(status_code=204)


def _check(desk: Desk, request: Request, user: str, password: str) -> bool | int:
    """True (logged in), False (wrong), or the seconds to wait (throttled: the password is not even hashed)."""
    client = request.client.host if request.client else ""
    keys = desk.throttle.keys(user, client)
    wait = desk.throttle.retry_after(keys)
    if wait:
        return wait  # not audited one by one: the lock itself was (login_locked), so a flood adds no lines
    ok = desk.accounts.verify(user, password)
    desk.audit.write(user, "login" if ok else "login_failed", client=client)
    if ok:
        desk.throttle.succeeded(keys[:1])  # the account; the address keeps its count (one may own an account)
    elif desk.throttle.failed(keys):
        desk.audit.write(user, "login_locked", client=client, seconds=desk.throttle.retry_after(keys))
    return ok


def _close(desk: Desk, request: Request) -> None:
    token = session_token(request)
    user = desk.accounts.session_user(token) if token else None
    if user:
        desk.audit.write(user, "logout")
        desk.accounts.close_session(token)
