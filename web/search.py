"""The search page: one query box, facets, highlighted snippets, counts, pages, sort by relevance or date."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from web import lookup
from web.desk import Desk, current_user, get_desk
from web.query import SORTS, with_filter, without_filter
from web.templating import templates

router = APIRouter(dependencies=[Depends(current_user)])
# Facet name in the index → the operator that narrows by it in the query box.
FACET_OPERATORS = {"site": "site", "language": "lang", "tags": "tag", "entity_type": "type", "currency": "currency"}
FACET_LABELS = {
    "site": "Site",
    "language": "Language",
    "tags": "Tags",
    "entity_type": "Entity type",
    "currency": "Currency",
}


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    desk: Annotated[Desk, Depends(get_desk)],
    user: Annotated[str, Depends(current_user)],
    q: str = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    sort: str = "relevance",
    after: str = "",
    before: str = "",
    collapse: bool = False,
) -> Response:
    sort = sort if sort in SORTS else "relevance"
    for name, value in (("after", after), ("before", before)):
        q = with_filter(q, name, value) if value else q
    mirrors = lookup.mirror_map(desk.layout) if collapse else None
    data = lookup.search(desk.index, q, page=page, sort=sort, mirrors=mirrors)
    desk.audit.write(user, "search", query=q, sort=sort, page=page, total=data["total"], via="html")
    context = {
        "user": user,
        "data": data,
        "facets": _facet_links(data),
        "removals": [(f["name"], f["value"], without_filter(q, f["name"], f["value"])) for f in data["filters"]],
        "pages": -(-data["sorted_among"] // data["per_page"]),
        "sorts": SORTS,
    }
    return templates.TemplateResponse(request, "search.html", context)


def _facet_links(data: dict) -> list[tuple[str, list[tuple[str, int, str]]]]:
    """(label, [(value, count, query text narrowed to it)]) for each non-empty facet."""
    active = {(f["name"], f["value"]) for f in data["filters"]}
    facets = []
    for name, label in FACET_LABELS.items():
        operator = FACET_OPERATORS[name]
        counts = data["facets"].get(name) or {}
        values = [
            (v, n, with_filter(data["query"], operator, v)) for v, n in counts.items() if (operator, v) not in active
        ]
        if values:
            facets.append((label, values))
    return facets
