"""The link graph and the timeline in the desk: `/graph?node=KIND:KEY` (an SVG picture of the node's
bounded neighbourhood, with the nodes and edges as tables), `/graph/evidence?a=…&b=…` (every capture that
links two nodes), `/timeline?node=…` (first and last sightings), and `/graph/export/FORMAT?node=…`
(GraphML, GEXF, node and link CSV tables, a STIX 2.1 bundle, a MISP event). Login required; all audited.
The SVG is drawn server-side with no script and no style element, so the CSP stays as it is."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from oniondex.export import FORMATS, render_export
from oniondex.graph import (
    DEPTH,
    MAX_NODES,
    Neighbourhood,
    Node,
    NodeRef,
    Sources,
    build,
    evidence_between,
    neighbourhood,
    svg,
    timeline,
)
from oniondex.graph.build import MAX_DEPTH, MAX_NODES_CAP
from oniondex.graph.labels import short, visible
from web.desk import Desk, current_user, get_desk
from web.security import entity_url, site_url, vendor_url
from web.templating import templates

router = APIRouter(dependencies=[Depends(current_user)])
DeskDep = Annotated[Desk, Depends(get_desk)]
UserDep = Annotated[str, Depends(current_user)]
NodeParam = Annotated[str, Query(description="KIND:KEY, e.g. entity:bc1q…, vendor:NAME, site:HOST.onion, channel:NAME")]
DepthParam = Annotated[int, Query(ge=0, le=MAX_DEPTH)]
SizeParam = Annotated[int, Query(ge=1, le=MAX_NODES_CAP)]


def node_ref(node_id: str) -> NodeRef:
    """A node id from a URL, normalised as the builder keys it; a 400 naming what is wrong."""
    try:
        return build.node_ref(node_id)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc


def node_href(node: Node) -> str:
    """The desk's own page of a node (never a crawled URL)."""
    if node.ref.kind == "entity":
        return entity_url(node.ref.key)
    if node.ref.kind == "site":
        return site_url(node.ref.key)
    if node.ref.kind == "channel":
        return "/channel/" + quote(node.ref.key, safe="")
    return vendor_url(node.label)


def graph_url(node_id: str, **params: int) -> str:
    return "/graph?" + urlencode({"node": node_id, **params})


def evidence_url(a: NodeRef, b: NodeRef) -> str:
    return "/graph/evidence?" + urlencode({"a": a.id, "b": b.id})


LINKS = svg.Links(node=node_href, edge=evidence_url)


def _sources(desk: Desk) -> Sources:
    return Sources(desk.index, desk.layout.vendor_db)


def _hood(desk: Desk, node: str, depth: int, max_nodes: int) -> Neighbourhood:
    return neighbourhood(_sources(desk), node_ref(node), depth, max_nodes)


@router.get("/graph", response_class=HTMLResponse, include_in_schema=False)
def graph_page(
    request: Request,
    desk: DeskDep,
    user: UserDep,
    node: NodeParam,
    depth: DepthParam = DEPTH,
    max_nodes: SizeParam = MAX_NODES,
) -> Response:
    hood = _hood(desk, node, depth, max_nodes)
    desk.audit.write(
        user, "view_graph", node=hood.centre.id, depth=depth, nodes=len(hood.nodes), edges=len(hood.edges), via="html"
    )
    context = {
        "user": user,
        "hood": hood,
        "centre": hood.nodes[hood.centre.id],
        "picture": Markup(svg.render(hood, LINKS)),  # noqa: S704 - svg.render escapes every crawled string
        "params": {"depth": depth, "max_nodes": max_nodes},
        "formats": FORMATS,
        "max_depth": MAX_DEPTH,
    }
    return templates.TemplateResponse(request, "graph.html", context)


@router.get("/graph/evidence", response_class=HTMLResponse, include_in_schema=False)
def evidence_page(request: Request, desk: DeskDep, user: UserDep, a: NodeParam, b: NodeParam) -> Response:
    left, right = node_ref(a), node_ref(b)
    items = evidence_between(_sources(desk), left, right)
    desk.audit.write(user, "view_graph_evidence", a=left.id, b=right.id, evidence=len(items), via="html")
    context = {"user": user, "a": left, "b": right, "items": items}
    return templates.TemplateResponse(request, "graph_evidence.html", context)


@router.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
def timeline_page(request: Request, desk: DeskDep, user: UserDep, node: NodeParam) -> Response:
    line = timeline.timeline(_sources(desk), node_ref(node))
    desk.audit.write(user, "view_timeline", node=line.subject.id, rows=len(line.spans), via="html")
    context = {
        "user": user,
        "line": line,
        "picture": Markup(timeline.render(line, LINKS)),  # noqa: S704 - timeline.render escapes every crawled string
    }
    return templates.TemplateResponse(request, "timeline.html", context)


@router.get("/graph/export/{fmt}", summary="Export a node's neighbourhood (GraphML, GEXF, CSV, STIX 2.1, MISP)")
def graph_export(
    desk: DeskDep, user: UserDep, fmt: str, node: NodeParam, depth: DepthParam = DEPTH, max_nodes: SizeParam = MAX_NODES
) -> Response:
    """`fmt`: graphml, gexf, nodes.csv, links.csv, stix (a STIX 2.1 bundle) or misp (a MISP event)."""
    if fmt not in FORMATS:
        raise HTTPException(status_code=404, detail=f"graph exports are {', '.join(FORMATS)}")
    hood = _hood(desk, node, depth, max_nodes)
    body = render_export(hood, fmt)
    desk.audit.write(
        user, "export_graph", node=hood.centre.id, format=fmt, depth=depth, nodes=len(hood.nodes), edges=len(hood.edges)
    )
    media, suffix = FORMATS[fmt]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    headers = {"content-disposition": f'attachment; filename="oniondex-{hood.centre.kind}-{stamp}.{suffix}"'}
    return Response(body, media_type=media, headers=headers)


templates.env.filters.update(short_label=short, visible_label=visible)
templates.env.globals.update(graph_url=graph_url, node_href=node_href, evidence_url=evidence_url)
