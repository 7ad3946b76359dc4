"""Exports read back by the tools' own libraries: networkx (GraphML, GEXF), stix2 strict, MISP's types."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import networkx as nx
import pytest
import stix2
from pymisp import MISPEvent

from oniondex.export import gexf, graphml, misp_event, render_export, stix_bundle
from oniondex.graph import neighbourhood
from oniondex.graph.build import vendor_ref
from oniondex.graph.labels import visible
from tests.graph import world

HOSTILE = vendor_ref(world.HOSTILE)


@pytest.fixture
def hood(sources):
    return neighbourhood(sources, HOSTILE, depth=2, max_nodes=40)


@pytest.mark.parametrize(("write", "read"), [(graphml, nx.read_graphml), (gexf, nx.read_gexf)])
def test_graph_files_open_with_networkx(hood, write, read):
    graph = read(io.BytesIO(write(hood)))
    assert set(graph.nodes) == {visible(node_id) for node_id in hood.nodes}
    assert graph.number_of_edges() == len(hood.edges)
    centre = graph.nodes[visible(HOSTILE.id)]
    assert centre["kind"] == "vendor"
    assert centre["label"] == visible(world.HOSTILE)  # the RTL override as \u202e text
    edge = graph.edges[visible(HOSTILE.id), f"entity:{world.PGP}"]
    assert edge["relation"].split("; ")[0] == "shows"
    assert edge["evidence"] == f"http://{world.MARKET_A}/vendor/evil"
    assert int(edge["evidence_count"]) == 1


def test_csv_tables_one_row_per_node_and_link(hood):
    nodes = list(csv.DictReader(io.StringIO(render_export(hood, "nodes.csv").decode("utf-8-sig"))))
    links = list(csv.DictReader(io.StringIO(render_export(hood, "links.csv").decode("utf-8-sig"))))
    assert len(nodes) == len(hood.nodes)
    assert len(links) == len(hood.edges)
    assert {row["id"] for row in nodes} >= {row["source"] for row in links} | {row["target"] for row in links}


def test_stix_bundle_parses_strictly(hood):
    exported = datetime(2026, 4, 1, tzinfo=UTC)
    text = stix_bundle(hood, exported).serialize()
    bundle = stix2.parse(text, allow_custom=False)
    by_type: dict[str, list] = {}
    for item in bundle.objects:
        by_type.setdefault(item.type, []).append(item)
    assert world.HOSTILE.replace("\u202e", "\\u202e") in [i.name for i in by_type["identity"]]
    patterns = {i.pattern for i in by_type["indicator"]}
    assert f"[cryptocurrency-wallet:value = '{world.BTC}']" in patterns
    assert f"[domain-name:value = '{world.MARKET_A}']" in patterns
    assert f"[user-account:account_type = 'telegram' AND user-account:account_login = '{world.CHANNEL}']" in patterns
    assert world.EMAIL in {o.value for o in by_type["email-addr"]}
    related = [r for r in by_type["relationship"] if r.relationship_type == "related-to"]
    assert len(related) == len(hood.edges)
    btc = next(s for s in by_type["sighting"] if s.sighting_of_ref.endswith(_indicator_id(by_type, world.BTC)))
    assert btc.first_seen == datetime.fromisoformat(world.TIMES["a"])
    assert btc.last_seen == datetime.fromisoformat(world.TIMES["post"])
    assert btc.count == 4
    ids = {o.id for o in bundle.objects}
    (grouping,) = by_type["grouping"]
    assert set(grouping.object_refs) == ids - {grouping.id}
    assert stix_bundle(hood, exported).serialize() == text  # stable ids: a re-export names the same objects


def _indicator_id(by_type, value: str) -> str:
    return next(i.id for i in by_type["indicator"] if f"'{value}'" in i.pattern).split("--")[1]


def test_stix_patterns_escape_quotes_in_crawled_values():
    from oniondex.export.stix import _quoted

    assert _quoted("it's \\ here") == "'it\\'s \\\\ here'"


def test_misp_event_is_core_format_with_known_types(hood):
    event = json.loads(misp_event(hood))["Event"]
    assert {"uuid", "info", "date", "threat_level_id", "analysis", "distribution", "Attribute"} <= event.keys()
    assert {t["name"] for t in event["Tag"]} == {"tlp:amber", "oniondex"}
    describe = MISPEvent().describe_types
    for attribute in event["Attribute"]:
        assert attribute["type"] in describe["types"]
        assert attribute["type"] in describe["category_type_mappings"][attribute["category"]]
        assert attribute["value"]
    by_value = {a["value"]: a for a in event["Attribute"]}
    assert by_value[world.BTC]["type"] == "btc"
    assert by_value[world.BTC]["first_seen"] == world.TIMES["a"]
    assert by_value[world.MARKET_A]["type"] == "onion-address"
    assert by_value[world.EMAIL]["type"] == "email"
    assert by_value[f"http://{world.MARKET_A}/vendor/evil"]["type"] == "url"
    assert by_value[visible(world.HOSTILE)]["category"] == "Attribution"
    (coin,) = [o for o in event["Object"] if o["name"] == "coin-address"]
    assert {a["object_relation"]: a["value"] for a in coin["Attribute"]}["address-crypto"] == world.ETH
    loaded = MISPEvent()
    loaded.load(misp_event(hood))  # pymisp reads it back
    assert len(loaded.attributes) == len(event["Attribute"])
