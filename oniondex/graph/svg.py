"""The neighbourhood as an inline SVG picture: no script, no style element, no external resource (the web
UI's Content-Security-Policy allows none), only presentation attributes. Every crawled string is made
visible (labels.py) and escaped; each node links to its own page, each edge to the list of its evidence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import escape

from oniondex.graph.labels import short, visible
from oniondex.graph.layout import HEIGHT, WIDTH, Point, layout
from oniondex.graph.model import Neighbourhood, Node, NodeRef

CRYPTO = {"BTC", "ETH", "XMR", "LTC", "BCH", "DOGE", "TRX", "ZEC", "DASH"}
# (fill, legend) per kind of node; entities by what they are.
COLOURS = {
    "vendor": ("#c0392b", "vendor"),
    "site": ("#2e8b57", "site"),
    "channel": ("#1f8a9e", "channel"),
    "crypto": ("#e08e0b", "address"),
    "pgp": ("#7d3c98", "PGP key"),
    "contact": ("#2c6fbb", "handle / contact"),
}
RADIUS = {0: 16, 1: 10}
EDGE_COLOUR = "#8a8f98"


@dataclass(frozen=True)
class Links:
    """Where a node and an edge link to: the web UI's own pages (never a crawled URL)."""

    node: Callable[[Node], str]
    edge: Callable[[NodeRef, NodeRef], str]


def colour_key(node: Node) -> str:
    if node.ref.kind != "entity":
        return node.ref.kind
    if node.entity_type in CRYPTO:
        return "crypto"
    return "pgp" if node.entity_type == "pgp" else "contact"


def render(hood: Neighbourhood, links: Links, positions: dict[str, Point] | None = None) -> str:
    """The SVG element (a string of markup whose every crawled part is escaped)."""
    at = positions or layout(hood)
    centre = hood.nodes[hood.centre.id]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="100%" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        f' aria-labelledby="graph-title" data-nodes="{len(hood.nodes)}" data-edges="{len(hood.edges)}">',
        f'<title id="graph-title">Neighbourhood of {escape(visible(centre.label))}</title>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fbfbfa" stroke="#d9d9d6"/>',
        '<g class="edges">',
    ]
    for edge in hood.edges.values():
        a, b = at[edge.a.id], at[edge.b.id]
        width = min(1 + edge.evidence_total / 3, 5)
        dash = ' stroke-dasharray="5 4"' if edge.strength == "weak" else ""
        tip = f"{', '.join(edge.relations)}: {edge.evidence_total} evidence"
        line = f'x1="{a.x:.1f}" y1="{a.y:.1f}" x2="{b.x:.1f}" y2="{b.y:.1f}"'
        out.append(
            f'<a class="edge" href="{escape(links.edge(edge.a, edge.b))}"><title>{escape(tip)}</title>'
            f'<line {line} stroke="{EDGE_COLOUR}" stroke-width="{width:.1f}"{dash}/>'
            f'<line {line} stroke="transparent" stroke-width="12" pointer-events="stroke"/></a>'
        )
    out.append('</g><g class="nodes">')
    for node in hood.nodes.values():
        out.append(_node(node, at[node.id], links))
    out.append("</g>")
    out.extend(_legend())
    if hood.hidden:
        more = f"{hood.hidden} more not shown"
        out.append(
            f'<text class="more" x="{WIDTH - 12}" y="{HEIGHT - 12}" text-anchor="end" font-size="13">{more}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _node(node: Node, at: Point, links: Links) -> str:
    fill = COLOURS[colour_key(node)][0]
    radius = RADIUS.get(node.depth, 7)
    kind = node.entity_type or node.ref.kind
    seen = f", seen {node.first_seen[:16]} – {node.last_seen[:16]}" if node.first_seen else ""
    more = f", {node.hidden} more neighbours not shown" if node.hidden else ""
    tip = f"{visible(node.label)} ({kind}{seen}{more})"
    weight = ' font-weight="bold"' if node.depth == 0 else ""
    return (
        f'<a class="node node-{node.ref.kind}" href="{escape(links.node(node))}" data-id="{escape(node.id)}">'
        f"<title>{escape(tip)}</title>"
        f'<circle cx="{at.x:.1f}" cy="{at.y:.1f}" r="{radius}" fill="{fill}" stroke="#ffffff" stroke-width="2"/>'
        f'<text x="{at.x:.1f}" y="{at.y + radius + 13:.1f}" text-anchor="middle" font-size="11"'
        f' fill="#1d1d1b"{weight}>{escape(short(node.label))}</text></a>'
    )


def _legend() -> list[str]:
    out = ['<g class="legend" font-size="11">']
    for row, (fill, name) in enumerate(COLOURS.values()):
        y = 18 + row * 16
        out.append(
            f'<circle cx="16" cy="{y}" r="5" fill="{fill}"/><text x="26" y="{y + 4}" fill="#1d1d1b">{name}</text>'
        )
    out.append("</g>")
    return out
