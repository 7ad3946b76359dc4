"""GraphML and GEXF (networkx's writers) and CSV tables of a neighbourhood. Every string attribute goes
through `labels.visible`, so crawled controls and bidi overrides arrive as `\\uXXXX` text (XML 1.0 cannot
carry most controls at all) while everything printable, Korean included, stays as crawled."""

from __future__ import annotations

import io
from typing import Any

import networkx as nx

from oniondex.graph.labels import visible
from oniondex.graph.model import Edge, Neighbourhood, Node


def node_rows(hood: Neighbourhood) -> list[dict[str, Any]]:
    """The entity table: one row per node."""
    return [_node_attributes(node) | {"id": visible(node.id)} for node in hood.nodes.values()]


def link_rows(hood: Neighbourhood) -> list[dict[str, Any]]:
    """The link table: one row per edge, with its evidence URLs."""
    return [
        {"source": visible(edge.a.id), "target": visible(edge.b.id), **_edge_attributes(edge)}
        for edge in hood.edges.values()
    ]


def flat_graph(hood: Neighbourhood) -> nx.Graph:
    """The neighbourhood with plain attributes only (str and int), as file formats need."""
    graph = nx.Graph(centre=visible(hood.centre.id), depth=hood.depth, hidden=hood.hidden)
    for node in hood.nodes.values():
        graph.add_node(visible(node.id), **_node_attributes(node))
    for edge in hood.edges.values():
        graph.add_edge(visible(edge.a.id), visible(edge.b.id), **_edge_attributes(edge))
    return graph


def graphml(hood: Neighbourhood) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(flat_graph(hood), out, encoding="utf-8")
    return out.getvalue()


def gexf(hood: Neighbourhood) -> bytes:
    out = io.BytesIO()
    nx.write_gexf(flat_graph(hood), out, encoding="utf-8")
    return out.getvalue()


def _node_attributes(node: Node) -> dict[str, Any]:
    return {
        "kind": node.ref.kind,
        "type": visible(node.entity_type),
        "label": visible(node.label),
        "key": visible(node.ref.key),
        "first_seen": node.first_seen,
        "last_seen": node.last_seen,
        "depth": node.depth,
        "hidden_neighbours": node.hidden,
    }


def _edge_attributes(edge: Edge) -> dict[str, Any]:
    return {
        "relation": "; ".join(edge.relations),
        "strength": edge.strength,
        "evidence_count": edge.evidence_total,
        "first_seen": edge.first_seen,
        "last_seen": edge.last_seen,
        "evidence": " ".join(visible(e.url) for e in edge.evidence if e.url),
    }
