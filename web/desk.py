"""What every route needs: the index, the accounts, the audit log (one `Desk` per app), and the
logged-in analyst (`current_user`, a FastAPI dependency that admits no anonymous request)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from oniondex.config import DataLayout
from oniondex.index import Index
from web.accounts import AccountStore
from web.audit import AuditLog
from web.throttle import LoginThrottle

SESSION_COOKIE = "oniondex_session"


@dataclass
class Desk:
    layout: DataLayout
    index: Index
    accounts: AccountStore
    audit: AuditLog
    throttle: LoginThrottle = field(default_factory=LoginThrottle)


class LoginRequired(Exception):
    """No valid session: HTML routes redirect to /login, API routes answer 401."""


def get_desk(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def session_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(SESSION_COOKIE, "")


def current_user(request: Request) -> str:
    token = session_token(request)
    user = get_desk(request).accounts.session_user(token) if token else None
    if user is None:
        raise LoginRequired
    request.state.user = user
    return user
