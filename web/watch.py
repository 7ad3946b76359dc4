"""The analyst's watchlist and alerts: `/watches` (add with a retro-hunt, remove) and `/alerts` (unread
first, mark read). Every form carries the CSRF token (web/security.py); every view and change is audited.
Deliveries of retro-hunt alerts run after the answer is sent, so a slow webhook never holds up the page."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from oniondex.watch import WatchStore, WatchValueError
from oniondex.watch.adding import add_watch
from oniondex.watch.delivery import DeliveryConfig, DeliveryError, deliver_due
from oniondex.watch.records import Alert
from web.desk import Desk, current_user, get_desk
from web.query import QueryError, parse
from web.security import csrf_ok, form_expired
from web.templating import templates

router = APIRouter(dependencies=[Depends(current_user)])
DeskDep = Annotated[Desk, Depends(get_desk)]
UserDep = Annotated[str, Depends(current_user)]
# What the add form offers: an entity type, a way to find it out, or one of the other watch kinds.
FORM_KINDS = ("entity", "btc", "xmr", "eth", "ltc", "pgp", "telegram", "handle", "phone", "onion", "email",
              "vendor", "query", "page", "site")  # fmt: skip
MAX_ALERTS = 500


@contextmanager
def _store(desk: Desk) -> Iterator[WatchStore]:
    store = WatchStore(desk.layout.watch_db)
    try:
        yield store
    finally:
        store.close()


def _delivery() -> DeliveryConfig | None:
    try:
        return DeliveryConfig.from_settings(os.environ.get)
    except DeliveryError:
        return None  # misconfigured delivery: alerts are kept, the crawl's log says why


@router.get("/watches", response_class=HTMLResponse, include_in_schema=False)
def watches_page(request: Request, desk: DeskDep, user: UserDep) -> Response:
    desk.audit.write(user, "view_watches", via="html")
    return _watches(request, desk, user)


def _watches(request: Request, desk: Desk, user: str, status: int = 200, **context: Any) -> Response:
    with _store(desk) as store:
        data = {"watches": store.watches(user), "unread": store.unread_count(user), "kinds": FORM_KINDS}
    page = {"user": user, "data": data, "error": "", "added": None, "form": {}, **context}
    return templates.TemplateResponse(request, "watches.html", page, status_code=status)


@router.post("/watches", response_class=HTMLResponse, include_in_schema=False)
def add_watch_form(
    request: Request,
    desk: DeskDep,
    user: UserDep,
    background: BackgroundTasks,
    kind: Annotated[str, Form()] = "",
    value: Annotated[str, Form()] = "",
    label: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    if not csrf_ok(request.state.csrf, csrf):
        desk.audit.write(user, "watch_add_refused", reason="csrf", via="html")
        return form_expired()
    form = {"kind": kind, "value": value, "label": label}
    delivery = _delivery()
    try:
        query = parse(value).query if kind == "query" else None
        with _store(desk) as store:
            added = add_watch(
                store, desk.index, user, kind, value, query=query, label=label,
                channels=delivery.channels if delivery else (), notify=lambda a: _audit_alert(desk, a),
            )  # fmt: skip
    except (WatchValueError, QueryError) as exc:
        desk.audit.write(user, "watch_add_failed", kind=kind, value=value, error=str(exc), via="html")
        return _watches(request, desk, user, status=400, error=str(exc), form=form)
    watch = added.watch
    desk.audit.write(user, "watch_add", watch=watch.id, kind=watch.kind, value=watch.value, new=added.new,
                     past=len(added.past), via="html")  # fmt: skip
    if delivery is not None and delivery.channels and added.past:
        background.add_task(_deliver, desk, delivery)
    return _watches(request, desk, user, added=added)


@router.post("/watches/{watch_id}/remove", include_in_schema=False)
def remove_watch_form(
    request: Request, desk: DeskDep, user: UserDep, watch_id: int, csrf: Annotated[str, Form()] = ""
) -> Response:
    if not csrf_ok(request.state.csrf, csrf):
        desk.audit.write(user, "watch_remove_refused", watch=watch_id, reason="csrf", via="html")
        return form_expired()
    with _store(desk) as store:
        removed = store.remove_watch(watch_id, user)
    desk.audit.write(user, "watch_remove", watch=watch_id, removed=removed, via="html")
    return RedirectResponse("/watches", status_code=303)


@router.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
def alerts_page(request: Request, desk: DeskDep, user: UserDep, unread: bool = False) -> Response:
    with _store(desk) as store:
        alerts = store.alerts(user, unread_only=unread, limit=MAX_ALERTS)
        count = store.unread_count(user)
    desk.audit.write(user, "view_alerts", shown=len(alerts), unread_only=unread, via="html")
    data = {"alerts": alerts, "unread": count, "unread_only": unread}
    return templates.TemplateResponse(request, "alerts.html", {"user": user, "data": data})


@router.post("/alerts/read", include_in_schema=False)
def mark_read_form(
    request: Request, desk: DeskDep, user: UserDep, csrf: Annotated[str, Form()] = "", alert: Annotated[int, Form()] = 0
) -> Response:
    if not csrf_ok(request.state.csrf, csrf):
        desk.audit.write(user, "alerts_read_refused", reason="csrf", via="html")
        return form_expired()
    with _store(desk) as store:
        changed = store.mark_read(user, [alert] if alert else None)
    desk.audit.write(user, "alerts_read", alert=alert or "all", changed=changed, via="html")
    return RedirectResponse("/alerts", status_code=303)


def _audit_alert(desk: Desk, alert: Alert) -> None:
    desk.audit.write(alert.analyst, "alert", alert_id=alert.id, kind=alert.kind, value=alert.value, url=alert.url,
                     via="html")  # fmt: skip


def _deliver(desk: Desk, delivery: DeliveryConfig) -> None:
    with _store(desk) as store:
        deliver_due(store, delivery)
