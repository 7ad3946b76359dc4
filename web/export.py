"""Exports for case files: the current results or a pivot, as CSV (one table) or JSON (everything the view
shows). Audited. CSV cells that a spreadsheet would run as a formula are prefixed with a quote."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import Response

from web import lookup
from web.desk import Desk, current_user, get_desk

router = APIRouter(dependencies=[Depends(current_user)], tags=["export"])
FORMATS = ("csv", "json")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _search_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    keep = ("url", "site", "title", "language", "fetched_at", "score", "snippet")
    return [{k: hit[k] for k in keep} for hit in data["hits"]]


def _entity_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    types = " ".join(data["types"])
    return [{"value": data["value"], "types": types, **p} for p in data["pages"]]


def _vendor_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for site in data["sites"]:
        evidence = "; ".join(f"{e['type']}:{e['value']}" for e in site["evidence"])
        rows.extend({"vendor": data["name"], "site": site["site"], **p, "evidence": evidence} for p in site["pages"])
    return rows


def _site_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"site": data["site"], **p} for p in data["pages"]]


def _page_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"url": data["url"], "fetched_at": data["fetched_at"], **e} for e in data["entities"]]


ROWS: dict[str, Callable[[dict[str, Any]], list[dict[str, Any]]]] = {
    "search": _search_rows,
    "entity": _entity_rows,
    "vendor": _vendor_rows,
    "site": _site_rows,
    "page": _page_rows,
}


@router.get("/export/{kind}.{fmt}", summary="Export a search or a pivot as CSV or JSON")
def export(
    request: Request,
    desk: Annotated[Desk, Depends(get_desk)],
    user: Annotated[str, Depends(current_user)],
    kind: Annotated[str, Path(description="search, entity, vendor, site or page")],
    fmt: Annotated[str, Path(description="csv or json")],
    q: str = "",
    sort: str = "relevance",
    value: str = "",
    name: str = "",
    onion: str = "",
    url: str = "",
) -> Response:
    """`search` takes `q` and `sort`; `entity` takes `value`; `vendor` `name`; `site` `onion`; `page` `url`."""
    if kind not in ROWS or fmt not in FORMATS:
        raise HTTPException(status_code=404, detail=f"exports are {'|'.join(ROWS)} as {'|'.join(FORMATS)}")
    data = _data(desk, kind, q=q, sort=sort, value=value, name=name, onion=onion, url=url)
    rows = ROWS[kind](data)
    params = {k: v for k, v in (("q", q), ("value", value), ("name", name), ("onion", onion), ("url", url)) if v}
    desk.audit.write(user, "export", kind=kind, format=fmt, rows=len(rows), **params)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    headers = {"content-disposition": f'attachment; filename="oniondex-{kind}-{stamp}.{fmt}"'}
    if fmt == "json":
        body = json.dumps(
            {"exported_by": user, "exported_at": stamp, "kind": kind, **data}, ensure_ascii=False, indent=1
        )
        return Response(body, media_type="application/json", headers=headers)
    return Response(to_csv(rows), media_type="text/csv; charset=utf-8", headers=headers)


def _data(desk: Desk, kind: str, **p: str) -> dict[str, Any]:
    if kind == "search":
        return lookup.search_all(desk.index, p["q"], sort=p["sort"])
    if kind == "entity":
        return lookup.entity(desk.index, _required(p["value"], "value"))
    if kind == "vendor":
        return lookup.vendor(desk.index, _required(p["name"], "name"), desk.layout)
    if kind == "site":
        return lookup.site(desk.index, _required(p["onion"], "onion"), desk.layout)
    found = lookup.page(desk.index, _required(p["url"], "url"))
    if found is None:
        raise HTTPException(status_code=404, detail="no such page in the index")
    return found


def _required(value: str, name: str) -> str:
    if not value:
        raise HTTPException(status_code=422, detail=f"this export needs `{name}`")
    return value


def to_csv(rows: list[dict[str, Any]]) -> str:
    """UTF-8 with a BOM (spreadsheets then read Korean right); formula-like cells defused."""
    out = io.StringIO()
    columns = list(dict.fromkeys(k for row in rows for k in row)) or ["empty"]
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return "\ufeff" + out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
