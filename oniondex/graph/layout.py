"""Where each node goes: rings by distance from the centre, and around each ring the order networkx's
spring layout gives (seeded, so the same neighbourhood is drawn the same way every time): nodes that share
neighbours sit side by side, and evenly spaced angles with staggered radii keep labels from piling up."""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx

from oniondex.graph.model import Neighbourhood

WIDTH, HEIGHT = 960, 720
MARGIN_X, MARGIN_Y = 110, 40  # room for labels at the edges
SEED = 15
STAGGER = (1.0, 0.9, 0.8)  # radii of neighbours in turn on a ring, as a share of the ring's radius


@dataclass(frozen=True)
class Point:
    x: float
    y: float


def layout(hood: Neighbourhood, width: int = WIDTH, height: int = HEIGHT) -> dict[str, Point]:
    """Canvas coordinates (pixels, origin top left) of every node, by node id."""
    graph = hood.graph()
    centre = hood.centre.id
    middle = Point(width / 2, height / 2)
    if len(graph) == 1:
        return {centre: middle}
    rings: dict[int, list[str]] = {}
    for node_id, node in sorted(hood.nodes.items()):
        if node_id != centre:
            rings.setdefault(node.depth, []).append(node_id)
    start = nx.shell_layout(graph, nlist=[[centre], *(rings[d] for d in sorted(rings))])
    spring = nx.spring_layout(graph, pos=start, fixed=[centre], seed=SEED, iterations=60)
    cx, cy = (float(v) for v in spring[centre])
    positions = {centre: middle}
    reach_x, reach_y = width / 2 - MARGIN_X, height / 2 - MARGIN_Y
    for level, depth in enumerate(sorted(rings), start=1):
        share = level / len(rings)
        members = sorted(rings[depth], key=lambda n: math.atan2(float(spring[n][1]) - cy, float(spring[n][0]) - cx))
        offset = level * 0.37  # rings start at different angles, so their labels do not line up
        for rank, node_id in enumerate(members):
            angle = offset + 2 * math.pi * rank / len(members)
            radius = share * (STAGGER[rank % len(STAGGER)] if len(members) > 8 else 1.0)
            positions[node_id] = Point(
                middle.x + math.cos(angle) * radius * reach_x, middle.y + math.sin(angle) * radius * reach_y
            )
    return positions
