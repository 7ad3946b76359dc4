"""Where each node goes: networkx's spring layout, seeded (the same neighbourhood is drawn the same way
every time), started from rings by depth with the centre pinned in the middle, scaled to the canvas."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from oniondex.graph.model import Neighbourhood

WIDTH, HEIGHT = 960, 720
MARGIN = 90  # room for labels at the edges
SEED = 15


@dataclass(frozen=True)
class Point:
    x: float
    y: float


def layout(hood: Neighbourhood, width: int = WIDTH, height: int = HEIGHT) -> dict[str, Point]:
    """Canvas coordinates (pixels, origin top left) of every node, by node id."""
    graph = hood.graph()
    centre = hood.centre.id
    if len(graph) == 1:
        return {centre: Point(width / 2, height / 2)}
    rings: dict[int, list[str]] = {}
    for node_id, node in sorted(hood.nodes.items()):
        rings.setdefault(node.depth, []).append(node_id)
    start = nx.shell_layout(graph, nlist=[rings[d] for d in sorted(rings)])
    start[centre] = (0.0, 0.0)
    positions = nx.spring_layout(graph, pos=start, fixed=[centre], seed=SEED, iterations=80, k=1.6 / len(graph) ** 0.5)
    return _scaled(positions, width, height)


def _scaled(positions: dict[str, tuple[float, float]], width: int, height: int) -> dict[str, Point]:
    # Symmetric around the pinned centre, so the centre stays in the middle of the picture.
    reach_x = max(abs(float(p[0])) for p in positions.values()) or 1.0
    reach_y = max(abs(float(p[1])) for p in positions.values()) or 1.0
    half_w, half_h = width / 2 - MARGIN, height / 2 - MARGIN / 2
    return {
        node: Point(width / 2 + float(p[0]) / reach_x * half_w, height / 2 + float(p[1]) / reach_y * half_h)
        for node, p in positions.items()
    }
