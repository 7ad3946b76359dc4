"""`neighbourhood(sources, centre)`: what a vendor, site, channel or entity was seen with, breadth first
from the centre, bounded in depth, nodes and reads.

Everything comes from the index (`Index.pivot`, `search`, `get`) and the vendor store:
- an entity: the pages and posts it is on (its pivot), and on each what else is there: the site or
  channel, the other entities, the vendors, the onions it links to;
- a site or channel: its pages (or posts) and what is on them, the same way;
- a vendor: its view on each site (vendor store), the PGP keys, contacts and payout addresses it shows,
  and the other names of the same identity (strong) or a similar name (weak).
Each edge keeps the evidence for it (page URL, capture time, snippet), up to MAX_EVIDENCE items.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from oniondex.graph.model import Edge, Evidence, Neighbourhood, Node, NodeRef, pair
from oniondex.index import Index, SearchQuery
from oniondex.telegram.usernames import UsernameError, normalise_username
from oniondex.vendors import find_vendor
from oniondex.vendors.correlate import Correlation, VendorView, correlate
from oniondex.vendors.names import normalise_name
from oniondex.vendors.store import correlate_store

DEPTH = 2
MAX_NODES = 60
MAX_DEPTH = 4
MAX_NODES_CAP = 400  # beyond this a picture is not readable, and the reads add up
PAGES_PER_NODE = 40  # pages or posts read per expanded node
MAX_RECORDS = 2000  # pages or posts read per neighbourhood
MAX_EVIDENCE = 20  # evidence items kept per edge (the total is counted)
TELEGRAM_SITE = "t.me/"
KIND_ORDER = ("vendor", "channel", "site", "entity")


@dataclass(frozen=True)
class Found:
    """A neighbour of the node being expanded, and why: one piece of evidence."""

    ref: NodeRef
    label: str
    entity_type: str
    relation: str
    evidence: Evidence
    strength: str = "strong"


@dataclass
class Sources:
    """Where neighbourhoods are read from: the index, and the crawl's vendor store (may not exist)."""

    index: Index
    vendor_db: Path | None = None
    records_read: int = 0
    _records: dict[str, dict[str, Any] | None] = field(default_factory=dict)

    @cached_property
    def vendors(self) -> Correlation:
        return correlate_store(self.vendor_db) if self.vendor_db else correlate([])

    def record(self, url: str) -> dict[str, Any] | None:
        if url not in self._records:
            self.records_read += 1
            self._records[url] = self.index.get(url)
        return self._records[url]

    def budget_left(self) -> bool:
        return self.records_read < MAX_RECORDS


def site_ref(site: str) -> NodeRef:
    """A record's `site` as a node: a Telegram post's is its channel (`t.me/NAME`), else the onion host."""
    if site.startswith(TELEGRAM_SITE):
        return NodeRef("channel", site.removeprefix(TELEGRAM_SITE))
    return NodeRef("site", site)


def site_of(ref: NodeRef) -> str:
    """The index's `site` value of a site or channel node."""
    return TELEGRAM_SITE + ref.key if ref.kind == "channel" else ref.key


def entity_ref(entity_type: str, value: str) -> NodeRef:
    # An onion address seen on a page is that site: one node, whether crawled or only mentioned.
    return NodeRef("site", value.lower()) if entity_type == "onion" else NodeRef("entity", value)


def vendor_ref(name: str) -> NodeRef:
    return NodeRef("vendor", normalise_name(name) or name)


def node_ref(node_id: str) -> NodeRef:
    """A node id as typed by a person ("vendor:Some Name", "site:HOST.onion", "channel:@name"), its key
    normalised as the builder keys it. ValueError says what is wrong."""
    ref = NodeRef.parse(node_id.strip())
    if ref.kind == "vendor":
        return vendor_ref(ref.key)
    if ref.kind == "site":
        return NodeRef("site", ref.key.strip().lower().removeprefix("http://").strip("/"))
    if ref.kind == "channel":
        try:
            return NodeRef("channel", normalise_username(ref.key))
        except UsernameError as exc:
            raise ValueError(str(exc)) from exc
    return ref


def neighbourhood(sources: Sources, centre: NodeRef, depth: int = DEPTH, max_nodes: int = MAX_NODES) -> Neighbourhood:
    """The bounded neighbourhood of `centre`. Breadth first; at each node, neighbours with more evidence
    are admitted first; the ones beyond `max_nodes` are counted in `hidden` (per node and in all)."""
    depth = max(0, min(depth, MAX_DEPTH))
    max_nodes = max(1, min(max_nodes, MAX_NODES_CAP))
    hood = Neighbourhood(centre, depth, max_nodes)
    hood.nodes[centre.id] = Node(centre, *_centre_label(sources, centre), depth=0)
    hidden: set[str] = set()
    frontier = [centre]
    for level in range(depth):
        next_frontier: list[NodeRef] = []
        for ref in frontier:
            if not sources.budget_left():
                hood.capped = True
                break
            found, more = expand(sources, ref)
            hood.capped |= more
            next_frontier += _admit(hood, ref, found, level + 1, hidden)
        frontier = next_frontier
    return _finished(hood, sources, hidden)


def pages_neighbourhood(
    sources: Sources, centre: NodeRef, pages: list[tuple[str, str]], max_nodes: int = MAX_NODES_CAP
) -> Neighbourhood:
    """One hop around `centre` drawn from exactly these pages (URL, capture time), not from a search:
    what an evidence export selected (a URL, a site's pages, an entity's pages) as a neighbourhood."""
    max_nodes = max(1, min(max_nodes, MAX_NODES_CAP))
    hood = Neighbourhood(centre, 1, max_nodes)
    hood.nodes[centre.id] = Node(centre, *_centre_label(sources, centre), depth=0)
    found = [f for url, seen_at in pages for f in _on_record(sources, centre, url, seen_at)]
    hood.capped = not sources.budget_left()
    hidden: set[str] = set()
    _admit(hood, centre, found, 1, hidden)
    return _finished(hood, sources, hidden)


def _admit(hood: Neighbourhood, ref: NodeRef, found: list[Found], depth: int, hidden: set[str]) -> list[NodeRef]:
    """`ref`'s neighbours into the neighbourhood (most evidence first, up to its bound) with their evidence;
    the ones left out go to `hidden`. Returns the nodes new to it."""
    added = []
    for neighbour, items in _ranked(found):
        if neighbour.id not in hood.nodes:
            if len(hood.nodes) >= hood.max_nodes:
                hood.nodes[ref.id].hidden += 1
                hidden.add(neighbour.id)
                continue
            first = items[0]
            hood.nodes[neighbour.id] = Node(neighbour, first.label, first.entity_type, depth=depth)
            added.append(neighbour)
        for item in items:
            _add_evidence(hood, ref, item)
    return added


def _finished(hood: Neighbourhood, sources: Sources, hidden: set[str]) -> Neighbourhood:
    hood.hidden = len(hidden - hood.nodes.keys())
    _seen_times(hood)
    hood.records_read = sources.records_read
    return hood


def evidence_between(sources: Sources, a: NodeRef, b: NodeRef, limit: int = 200) -> list[Evidence]:
    """Every piece of evidence linking `a` and `b` that expanding either one finds (up to `limit`)."""
    out: dict[Evidence, None] = {}
    for here, there in ((a, b), (b, a)):
        for item in expand(sources, here)[0]:
            if item.ref == there:
                out.setdefault(item.evidence)
    return sorted(out, key=lambda e: (e.seen_at, e.url), reverse=True)[:limit]


def expand(sources: Sources, ref: NodeRef) -> tuple[list[Found], bool]:
    """Every neighbour of one node with one piece of evidence each (a neighbour may come many times), and
    whether a read bound left some of its pages unread."""
    if ref.kind == "entity":
        pivot = sources.index.pivot(ref.key)
        pages = sorted(pivot.pages, key=lambda s: s.last_seen, reverse=True)
        found = [f for seen in pages[:PAGES_PER_NODE] for f in _on_record(sources, ref, seen.key, seen.last_seen)]
        if "telegram" in pivot.types:
            found.extend(_channel_of_handle(sources, ref.key))
        return found, len(pages) > PAGES_PER_NODE or not sources.budget_left()
    if ref.kind in ("site", "channel"):
        result = sources.index.search(SearchQuery(site=site_of(ref), limit=PAGES_PER_NODE))
        found = [f for hit in result.hits for f in _on_record(sources, ref, hit.url, hit.fetched_at)]
        if ref.kind == "channel":
            found.append(_handle_of_channel(ref))
        return found, result.total > PAGES_PER_NODE or not sources.budget_left()
    return _vendor_neighbours(sources, ref), False


def _on_record(sources: Sources, ref: NodeRef, url: str, seen_at: str) -> list[Found]:
    """What one page or post shows beside `ref`: its site or channel, entities, vendors and onion links."""
    if not sources.budget_left():
        return []
    record = sources.record(url)
    if record is None:
        return []
    site, title = str(record.get("site", "")), str(record.get("title", ""))
    own = next((str(e.get("snippet", "")) for e in record.get("entities", []) if e.get("value") == ref.key), "")

    def found(other: NodeRef, label: str, kind: str, relation: str, snippet: str = "") -> Found:
        evidence = Evidence(relation, url, site, seen_at or str(record.get("fetched_at", "")), snippet or own, title)
        return Found(other, label, kind, relation, evidence)

    out = []
    home = site_ref(site)
    if home != ref:
        out.append(found(home, home.key, "", "seen on" if ref.kind in ("entity", "vendor") else "on page of"))
    for entity in _unique(record.get("entities", []), "value"):
        other = entity_ref(str(entity["type"]), str(entity["value"]))
        if other != ref and other != home:
            relation = (
                "links to" if other.kind == "site" else "seen on" if ref.kind in ("site", "channel") else "seen with"
            )
            out.append(
                found(other, str(entity["value"]), str(entity["type"]), relation, str(entity.get("snippet", "")))
            )
    names = [v.get("name") for v in record.get("vendors", [])] + [x.get("vendor") for x in record.get("listings", [])]
    for name in dict.fromkeys(str(n) for n in names if n):
        if (other := vendor_ref(name)) != ref:
            out.append(found(other, name, "", "seen on" if ref.kind in ("site", "channel") else "seen with"))
    mentioned = {entity_ref("onion", str(e["value"])) for e in record.get("entities", []) if e.get("type") == "onion"}
    for onion in dict.fromkeys(str(o).lower() for o in record.get("onion_links", [])):
        other = site_ref(onion)
        if other not in (ref, home) and other not in mentioned:
            out.append(found(other, onion, "", "links to"))
    return out


def _channel_of_handle(sources: Sources, handle: str) -> list[Found]:
    """A Telegram handle that is a crawled channel's username: that channel."""
    channel = NodeRef("channel", handle.lower())
    if not sources.index.search(SearchQuery(site=site_of(channel), limit=1)).total:
        return []
    return [_handle_link(channel, NodeRef("entity", handle))]


def _handle_of_channel(channel: NodeRef) -> Found:
    return _handle_link(NodeRef("entity", channel.key), channel)


def _handle_link(other: NodeRef, channel: NodeRef) -> Found:
    evidence = Evidence("channel username", f"https://t.me/{channel.key}", site_of(channel), "", f"@{channel.key}")
    return Found(other, other.key, "telegram" if other.kind == "entity" else "", "channel of handle", evidence)


def _vendor_neighbours(sources: Sources, ref: NodeRef) -> list[Found]:
    correlation = sources.vendors
    groups = find_vendor(correlation, ref.key)
    out: list[Found] = []
    for group in groups:
        for view in group:
            out.extend(_view_neighbours(ref, view))
        for link in correlation.links_of(group):
            for site, name in link.members:
                other = vendor_ref(name)
                if other == ref:
                    continue
                how = f"shared {link.evidence}" if link.strength == "strong" else "similar name only"
                evidence = Evidence(how, "", site, "", f"{link.evidence} {link.value}", "")
                relation = "same identity" if link.strength == "strong" else "similar name"
                out.append(Found(other, name, "", relation, evidence, link.strength))
    return out


def _view_neighbours(ref: NodeRef, view: VendorView) -> list[Found]:
    """A vendor's view on one site: the site, and the identifiers it shows there."""
    what = f"{view.name}: {view.listing_count} listing{'' if view.listing_count == 1 else 's'}"
    evidence = Evidence("vendor profile", view.url, view.site, view.last_seen, what, "")
    home = site_ref(view.site)
    out = [Found(home, home.key, "", "sells on", evidence)]
    identifiers = [("pgp", fp) for fp in view.pgp] + list(view.contacts) + list(view.payout)
    for kind, value in identifiers:
        shown = Evidence("vendor profile", view.url, view.site, view.last_seen, f"{view.name} shows {kind} {value}", "")
        out.append(Found(entity_ref(kind, value), value, kind, "shows", shown))
    return [f for f in out if f.ref != ref]


def _ranked(found: list[Found]) -> list[tuple[NodeRef, list[Found]]]:
    """Neighbours, most evidence first, then vendors, channels, sites before entities (a page listing a
    hundred addresses must not crowd out who and where), then by key, so the order is stable."""
    grouped: dict[NodeRef, list[Found]] = defaultdict(list)
    for item in found:
        grouped[item.ref].append(item)
    return sorted(grouped.items(), key=lambda kv: (-len(kv[1]), KIND_ORDER.index(kv[0].kind), kv[0].key))


def _add_evidence(hood: Neighbourhood, ref: NodeRef, item: Found) -> None:
    key = pair(ref.id, item.ref.id)
    a, b = (ref, item.ref) if key[0] == ref.id else (item.ref, ref)
    edge = hood.edges.get(key)
    if edge is None:
        edge = hood.edges[key] = Edge(a, b, item.relation, strength=item.strength)
    if item.relation not in edge.relations:
        edge.relations.append(item.relation)
    if item.strength == "strong":
        edge.strength = "strong"
    # One capture is one piece of evidence, whichever end found it.
    seen = (
        item.evidence.url,
        item.evidence.site,
        item.evidence.seen_at,
        "" if item.evidence.url else item.evidence.snippet,
    )
    if seen in edge.seen:
        return
    edge.seen.add(seen)
    edge.evidence_total += 1
    if len(edge.evidence) < MAX_EVIDENCE:
        edge.evidence.append(item.evidence)


def _seen_times(hood: Neighbourhood) -> None:
    """Each node's first and last sighting within the neighbourhood: the span of its edges' evidence."""
    for edge in hood.edges.values():
        for ref in (edge.a, edge.b):
            node = hood.nodes[ref.id]
            first, last = edge.first_seen, edge.last_seen
            if first and (not node.first_seen or first < node.first_seen):
                node.first_seen = first
            if last > node.last_seen:
                node.last_seen = last


def _centre_label(sources: Sources, ref: NodeRef) -> tuple[str, str]:
    """The centre's label and entity type (the names and types of its neighbours come with them)."""
    if ref.kind == "vendor":
        names = [v.name for g in find_vendor(sources.vendors, ref.key) for v in g if vendor_ref(v.name) == ref]
        return (names[0] if names else ref.key), ""
    if ref.kind == "entity":
        types = sources.index.pivot(ref.key).types
        return ref.key, types[0] if types else ""
    return ref.key, ""


def _unique(items: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return list({str(item.get(key)): item for item in items if item.get(key)}.values())
