"""The link graph: a node's bounded neighbourhood from the index and the vendor store (build.py), its
layout (layout.py), SVG pictures of it and of a timeline of sightings (svg.py, timeline.py)."""

from oniondex.graph.build import DEPTH, MAX_NODES, Sources, evidence_between, neighbourhood
from oniondex.graph.model import NODE_KINDS, Edge, Evidence, Neighbourhood, Node, NodeRef

__all__ = [
    "DEPTH",
    "MAX_NODES",
    "NODE_KINDS",
    "Edge",
    "Evidence",
    "Neighbourhood",
    "Node",
    "NodeRef",
    "Sources",
    "evidence_between",
    "neighbourhood",
]
