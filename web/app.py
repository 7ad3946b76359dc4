"""The app factory: `create_app(layout)` wires the index, accounts, audit log, routes and safety headers."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from oniondex.config import DataLayout, layout
from oniondex.index import Index, open_index
from web import api, auth, channels, errors, evidence, export, graph, pivots, search, watch
from web.accounts import AccountStore
from web.audit import AuditLog
from web.desk import Desk, LoginRequired, current_user
from web.security import CsrfGuard, SecurityHeaders
from web.templating import STATIC_DIR

API_DESCRIPTION = """The JSON behind every oniondex view. Log in with `POST /api/login` (JSON `{"user", "password"}`)
and send the returned token as `Authorization: Bearer TOKEN` (the browser's session cookie works too).
Every call is written to the audit log with the user and the time."""


class _DeskApp(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        # Outside Starlette's ServerErrorMiddleware, so a 500 carries the security headers too.
        return SecurityHeaders(super().build_middleware_stack())


def create_app(data: str | Path | DataLayout, index_url: str | None = None, index: Index | None = None) -> FastAPI:
    """The app on a data layout (or a data directory, the other paths then from the environment)."""
    paths = data if isinstance(data, DataLayout) else layout(data_dir=data, index_url=index_url)
    app = _DeskApp(
        title="oniondex",
        description=API_DESCRIPTION,
        version="1",
        docs_url=None,  # Swagger UI loads scripts from a CDN: the spec is served as JSON only
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.desk = Desk(
        layout=paths,
        index=index or open_index(paths.index_url),
        accounts=AccountStore(paths.accounts_db),
        audit=AuditLog(paths.audit_log),
    )
    app.add_middleware(CsrfGuard)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # channels: Telegram (issue 12)
    for module in (auth, search, pivots, export, api, channels, watch, graph, evidence):
        app.include_router(module.router)
    errors.install(app)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_api_route("/", _home, include_in_schema=False)
    _protect_openapi(app)
    return app


async def _login_required(request: Request, _exc: Exception) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": "login required"}, status_code=401, headers={"www-authenticate": "Bearer"})
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)


async def _home() -> Response:
    return RedirectResponse("/search", status_code=303)


def _protect_openapi(app: FastAPI) -> None:
    """The spec holds no data, but every route but login asks for a session, the spec too."""
    original = app.openapi

    async def spec(request: Request) -> JSONResponse:
        current_user(request)
        return JSONResponse(original())

    app.router.routes = [r for r in app.router.routes if getattr(r, "path", None) != "/api/openapi.json"]
    app.add_api_route("/api/openapi.json", spec, include_in_schema=False)
