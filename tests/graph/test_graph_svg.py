"""The SVG pictures: well-formed, one link per node and edge, hostile names as text, never as markup."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from oniondex.graph import NodeRef, neighbourhood, svg, timeline
from oniondex.graph.build import vendor_ref
from oniondex.graph.labels import LABEL_CHARS, short, visible
from tests.graph import world

NS = {"s": "http://www.w3.org/2000/svg"}
LINKS = svg.Links(node=lambda node: f"/n/{node.ref.kind}?k={node.ref.key}", edge=lambda a, b: f"/e?a={a.id}&b={b.id}")


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def test_labels_show_hidden_characters_and_are_cut():
    assert visible("a\u202eb\u200bc\x00") == "a\\u202eb\\u200bc\\u0000"
    assert short("x" * 100) == "x" * (LABEL_CHARS - 1) + "…"
    assert short("아이스") == "아이스"


def test_graph_svg_has_a_link_per_node_and_edge_and_hostile_names_as_text(sources):
    hood = neighbourhood(sources, vendor_ref(world.HOSTILE), depth=2, max_nodes=30)
    markup = svg.render(hood, LINKS)
    root = parse(markup)
    nodes = root.findall(".//s:a[@class]", NS)
    assert len([a for a in nodes if a.get("class").startswith("node")]) == len(hood.nodes) == 30
    assert len([a for a in nodes if a.get("class") == "edge"]) == len(hood.edges)
    assert int(root.get("data-nodes")) == 30
    assert "<script" not in markup
    assert "\u202e" not in markup
    labels = [t.text for t in root.findall(".//s:a/s:text", NS)]
    assert short(world.HOSTILE) in labels  # shown, as text: "<script>alert('x')</…"
    assert all(len(label) <= LABEL_CHARS for label in labels)
    tips = [t.text for t in root.findall(".//s:a/s:title", NS)]
    assert any(visible(world.HOSTILE) in tip for tip in tips)  # the whole name in the tooltip
    edge = next(a for a in nodes if a.get("class") == "edge")
    assert edge.get("href").startswith("/e?a=")
    assert root.find(".//s:text[@class='more']", NS).text == f"{hood.hidden} more not shown"
    assert svg.render(hood, LINKS) == markup  # the same picture every time (seeded layout)


def test_timeline_rows_per_site_earliest_first(sources):
    line = timeline.timeline(sources, NodeRef("entity", world.BTC))
    places = [s.node.id for s in line.spans]
    assert places[:2] == [f"site:{world.MARKET_A}", f"vendor:{vendor_ref(world.HOSTILE).key}"]
    assert f"channel:{world.CHANNEL}" in places
    assert line.first_seen == world.TIMES["a"]
    assert line.last_seen == world.TIMES["post"]
    root = parse(timeline.render(line, LINKS))
    assert int(root.get("data-rows")) == len(line.spans) == len(root.findall(".//s:a[@class='span']", NS))


def test_vendor_and_site_timelines(sources):
    vendor = timeline.timeline(sources, vendor_ref(world.HOSTILE))
    assert vendor.subject.label == world.HOSTILE
    assert [s.node.id for s in vendor.spans] == [f"site:{world.MARKET_A}", f"site:{world.MARKET_B}"]
    markup = timeline.render(vendor, LINKS)
    assert "<script" not in markup
    assert "\u202e" not in markup
    site = timeline.timeline(sources, NodeRef("site", world.FORUM), max_rows=10)
    assert len(site.spans) == 10
    assert site.hidden == world.FILLERS + 1 - 10
    assert "more not shown" in timeline.render(site, LINKS)
