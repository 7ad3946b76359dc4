"""The link graph's typed records: nodes (a vendor, site, channel or entity), edges between them, and the
evidence behind each edge (the page or post, its capture time, a snippet), as the builder makes them and
the renderers and exporters read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

NODE_KINDS = ("entity", "vendor", "site", "channel")


@dataclass(frozen=True, order=True)
class NodeRef:
    """What a node stands for: its kind and its key (an entity's normalised value, a site's onion host, a
    channel's username, a vendor's normalised name). `id` ("kind:key") is how URLs and exports name it."""

    kind: str
    key: str

    def __post_init__(self) -> None:
        if self.kind not in NODE_KINDS:
            raise ValueError(f"unknown node kind {self.kind!r}: one of {', '.join(NODE_KINDS)}")
        if not self.key:
            raise ValueError("a node needs a key")

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"

    @classmethod
    def parse(cls, node_id: str) -> NodeRef:
        """The inverse of `id`: "entity:bc1q…", "site:x….onion", "channel:name", "vendor:name"."""
        kind, sep, key = node_id.partition(":")
        if not sep:
            raise ValueError(f"a node id is KIND:KEY (kinds: {', '.join(NODE_KINDS)}), not {node_id!r}")
        return cls(kind, key)


@dataclass
class Node:
    ref: NodeRef
    label: str  # as crawled (a vendor's spelling): hostile, so every renderer escapes it
    entity_type: str = ""  # BTC, pgp, telegram…, for entities
    first_seen: str = ""
    last_seen: str = ""
    depth: int = 0  # hops from the centre
    hidden: int = 0  # neighbours of this node left out by the size bound

    @property
    def id(self) -> str:
        return self.ref.id


@dataclass(frozen=True)
class Evidence:
    """One reason two nodes are linked: the page or post (or vendor profile) that shows both, when."""

    how: str  # "on page", "seen with", "links to", "vendor profile", "shared pgp"…
    url: str = ""
    site: str = ""
    seen_at: str = ""
    snippet: str = ""
    title: str = ""


@dataclass
class Edge:
    a: NodeRef
    b: NodeRef
    relation: str  # the first relation found; `relations` has them all
    evidence: list[Evidence] = field(default_factory=list)  # the first MAX_EVIDENCE of `evidence_total`
    evidence_total: int = 0
    relations: list[str] = field(default_factory=list)
    strength: str = "strong"  # "weak" for a vendor link on the name only
    seen: set[tuple[str, str, str, str]] = field(default_factory=set, repr=False, compare=False)  # evidence keys

    @property
    def first_seen(self) -> str:
        return min((e.seen_at for e in self.evidence if e.seen_at), default="")

    @property
    def last_seen(self) -> str:
        return max((e.seen_at for e in self.evidence if e.seen_at), default="")


@dataclass
class Neighbourhood:
    """A bounded neighbourhood: the centre, every node within `depth` hops up to `max_nodes`, the edges
    between them, and how many further neighbours were found but not shown (`hidden`)."""

    centre: NodeRef
    depth: int
    max_nodes: int
    nodes: dict[str, Node] = field(default_factory=dict)  # by NodeRef.id, the centre first
    edges: dict[tuple[str, str], Edge] = field(default_factory=dict)  # by the sorted pair of node ids
    hidden: int = 0
    records_read: int = 0
    capped: bool = False  # a per-node or total read bound cut the expansion short

    def edge(self, a: str, b: str) -> Edge | None:
        return self.edges.get(pair(a, b))

    def graph(self) -> nx.Graph:
        """The structure as a networkx graph, each node and edge carrying its record under "record"."""
        import networkx as nx  # only where a graph is laid out or written: the CLI loads this module always

        g = nx.Graph()
        for node_id, node in self.nodes.items():
            g.add_node(node_id, record=node)
        for (a, b), edge in self.edges.items():
            g.add_edge(a, b, record=edge)
        return g


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)
