"""Error answers: clear, audited, and never an echo of what was sent.

- A query the index cannot take (an impossible date, `after:2026-13-45`) is a 400 naming the bad value.
- A request that does not validate is a 422 listing the fields and why, without their values (FastAPI's
  default echoes the input back, a password included).
- Anything unexpected is a 500 with no details.
Each failure of a logged-in analyst's request is written to the audit log (`search_failed`, `export_failed`,
`request_failed`) with the path and status. The security headers are added around all of these (web/app.py).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from web.desk import get_desk
from web.query import QueryError
from web.templating import templates

logger = logging.getLogger(__name__)


def install(app: FastAPI) -> None:
    app.add_exception_handler(QueryError, _bad_query)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


def _audit_failure(request: Request, status: int, error: str) -> None:
    user = getattr(request.state, "user", None)
    if user is None:  # anonymous: nothing was shown, and the login routes audit themselves
        return
    path = request.url.path
    kind = "export" if path.startswith("/export/") else "search" if path in ("/search", "/api/search") else "request"
    query = dict(request.query_params)
    get_desk(request).audit.write(user, f"{kind}_failed", path=path, status=status, error=error, params=query)


def _answer(request: Request, status: int, detail: object, headers: dict[str, str] | None = None) -> Response:
    if request.url.path.startswith(("/api/", "/export/")) or not isinstance(detail, str):
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    user = getattr(request.state, "user", "")
    context = {"user": user, "status": status, "detail": detail}
    return templates.TemplateResponse(request, "error.html", context, status_code=status, headers=headers)


async def _bad_query(request: Request, exc: Exception) -> Response:
    _audit_failure(request, 400, str(exc))
    return _answer(request, 400, str(exc))


async def _invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()]
    _audit_failure(request, 422, "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors))
    return JSONResponse({"detail": errors}, status_code=422)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    _audit_failure(request, exc.status_code, str(exc.detail))
    return await http_exception_handler(request, exc)


async def _unexpected(request: Request, exc: Exception) -> Response:
    logger.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    try:
        _audit_failure(request, 500, type(exc).__name__)
    except Exception:  # the audit log itself may be what failed: the answer must still go out
        logger.exception("could not audit a failed request")
    return JSONResponse({"detail": "internal error"}, status_code=500)
