"""A timeline of first and last sightings: for an entity, per site or channel it was seen on; for a vendor,
per site it sells on; for a site or channel, per entity and vendor seen there. Built from the index and
the vendor store (`Sources`), drawn as SVG bars on a time axis (same rules as svg.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from markupsafe import escape

from oniondex.graph.build import PAGES_PER_NODE, Sources, entity_ref, site_of, site_ref, vendor_ref
from oniondex.graph.labels import short, visible
from oniondex.graph.model import Node, NodeRef
from oniondex.graph.svg import COLOURS, Links, colour_key
from oniondex.index import SearchQuery
from oniondex.vendors import find_vendor

MAX_ROWS = 40
LOOKUPS = 2 * MAX_ROWS  # entities of a site whose sightings are looked up (one pivot each)
WIDTH, ROW, TOP, LEFT, RIGHT = 960, 22, 46, 260, 24


@dataclass(frozen=True)
class Span:
    """One row: where (or what) the subject was seen, first and last, on how many pages."""

    node: Node
    first_seen: str
    last_seen: str
    pages: int = 0
    note: str = ""


@dataclass
class Timeline:
    subject: Node
    first_seen: str = ""
    last_seen: str = ""
    spans: list[Span] = field(default_factory=list)  # the first MAX_ROWS, earliest first
    hidden: int = 0


def timeline(sources: Sources, ref: NodeRef, max_rows: int = MAX_ROWS) -> Timeline:
    spans, unread = _spans(sources, ref)
    spans = [s for s in spans if s.first_seen or s.last_seen]
    spans.sort(key=lambda s: (s.first_seen or s.last_seen, s.node.id))
    first = min((s.first_seen for s in spans if s.first_seen), default="")
    last = max((s.last_seen for s in spans), default="")
    label = ref.key
    if ref.kind == "vendor":
        label = next((v.name for g in find_vendor(sources.vendors, ref.key) for v in g), ref.key)
    subject = Node(ref, label, first_seen=first, last_seen=last)
    return Timeline(subject, first, last, spans[:max_rows], max(0, len(spans) - max_rows) + unread)


def _spans(sources: Sources, ref: NodeRef) -> tuple[list[Span], int]:
    """The rows, and how many more were found but not looked up (a site's entities beyond LOOKUPS)."""
    if ref.kind == "entity":
        pivot = sources.index.pivot(ref.key)
        spans = [Span(_node(site_ref(s.key)), s.first_seen, s.last_seen, s.pages) for s in pivot.sites]
        spans += [
            Span(_node(vendor_ref(v.key), v.key), v.first_seen, v.last_seen, v.pages, f"vendor on {v.site}")
            for v in pivot.vendors
        ]
        return spans, 0
    if ref.kind == "vendor":
        views = [v for g in find_vendor(sources.vendors, ref.key) for v in g]
        note = "{} listing(s) as {}"
        return [
            Span(
                _node(site_ref(v.site)),
                v.first_seen,
                v.last_seen,
                v.listing_count,
                note.format(v.listing_count, v.name),
            )
            for v in views
        ], 0
    return _site_spans(sources, ref)


def _site_spans(sources: Sources, ref: NodeRef) -> tuple[list[Span], int]:
    """Each entity on the site's pages (its sightings on this site only) and each vendor seen there."""
    site = site_of(ref)
    hits = sources.index.search(SearchQuery(site=site, limit=PAGES_PER_NODE)).hits
    entities: dict[str, str] = {}
    for hit in hits:
        record = sources.record(hit.url) or {}
        for entity in record.get("entities", []):
            entities.setdefault(str(entity["value"]), str(entity["type"]))
    spans = []
    for value, kind in list(entities.items())[:LOOKUPS]:
        here = [s for s in sources.index.pivot(value).sites if s.key == site]
        if here:
            node = _node(entity_ref(kind, value), value, kind)
            if node.ref != ref:
                spans.append(Span(node, here[0].first_seen, here[0].last_seen, here[0].pages))
    for view in sources.vendors.views:
        if view.site == site:
            spans.append(
                Span(_node(vendor_ref(view.name), view.name), view.first_seen, view.last_seen, view.listing_count)
            )
    return spans, max(0, len(entities) - LOOKUPS)


def _node(ref: NodeRef, label: str = "", entity_type: str = "") -> Node:
    return Node(ref, label or ref.key, entity_type)


def render(line: Timeline, links: Links) -> str:
    """The timeline as an SVG element, every crawled string escaped; each row's label links to its page."""
    start, end = _bounds(line)
    height = TOP + ROW * max(len(line.spans), 1) + 30
    span = (end - start).total_seconds()

    def x(when: str) -> float:
        return LEFT + (_time(when) - start).total_seconds() / span * (WIDTH - LEFT - RIGHT)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="100%" viewBox="0 0 {WIDTH} {height}"'
        f' role="img"'
        f' aria-labelledby="timeline-title" data-rows="{len(line.spans)}">',
        f'<title id="timeline-title">Sightings of {escape(visible(line.subject.label))}</title>',
        f'<rect width="{WIDTH}" height="{height}" fill="#fbfbfa" stroke="#d9d9d6"/>',
    ]
    for tick in _ticks(start, end):
        tx = x(tick.isoformat())
        label = tick.strftime("%Y-%m-%d" if span > 3 * 86400 else "%m-%d %H:%M" if span > 3600 else "%H:%M:%S")
        out.append(
            f'<line x1="{tx:.1f}" y1="{TOP - 10}" x2="{tx:.1f}" y2="{height - 24}" stroke="#e4e4e0"/>'
            f'<text x="{tx:.1f}" y="{TOP - 16}" text-anchor="middle" font-size="11" fill="#55554f">{label}</text>'
        )
    for row, item in enumerate(line.spans):
        y = TOP + row * ROW
        first = item.first_seen or item.last_seen
        x1, x2 = x(first), x(item.last_seen or first)
        fill = COLOURS[colour_key(item.node)][0]
        tip = f"{visible(item.node.label)}: {first[:19]} – {(item.last_seen or first)[:19]}, {item.pages} page(s)"
        if item.note:
            tip += f", {visible(item.note)}"
        out.append(
            f'<a class="span" href="{escape(links.node(item.node))}" data-id="{escape(item.node.id)}">'
            f"<title>{escape(tip)}</title>"
            f'<text x="{LEFT - 8}" y="{y + 14}" text-anchor="end" font-size="11" fill="#1d1d1b">'
            f"{escape(short(item.node.label, 32))}</text>"
            f'<rect x="{x1:.1f}" y="{y + 4}" width="{max(x2 - x1, 4):.1f}" height="{ROW - 8}" rx="3"'
            f' fill="{fill}"/></a>'
        )
    if line.hidden:
        more = f"{line.hidden} more not shown"
        out.append(
            f'<text class="more" x="{WIDTH - RIGHT}" y="{height - 8}" text-anchor="end" font-size="12">{more}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _time(when: str) -> datetime:
    parsed = datetime.fromisoformat(when.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _bounds(line: Timeline) -> tuple[datetime, datetime]:
    if not line.first_seen:
        now = datetime.now(UTC)
        return now - timedelta(days=1), now
    start, end = _time(line.first_seen), _time(line.last_seen or line.first_seen)
    pad = (end - start) * 0.05 if end > start else timedelta(hours=1)  # one moment still gets an axis
    return start - pad, end + pad


def _ticks(start: datetime, end: datetime, count: int = 6) -> list[datetime]:
    step = (end - start) / count
    return [start + step * (i + 0.5) for i in range(count)]
