"""The neighbourhood builder on the graph world: what a node was seen with, where, when, within bounds."""

from __future__ import annotations

import pytest

from oniondex.graph import NodeRef, evidence_between, neighbourhood
from oniondex.graph.build import MAX_EVIDENCE, node_ref, vendor_ref
from tests.graph import world

BTC = NodeRef("entity", world.BTC)
SITE_A, SITE_B, FORUM = (NodeRef("site", s) for s in (world.MARKET_A, world.MARKET_B, world.FORUM))
CHANNEL = NodeRef("channel", world.CHANNEL)
HOSTILE = vendor_ref(world.HOSTILE)
DEALER = vendor_ref("Dealer2")


def test_an_address_is_seen_with_its_sites_channel_vendors_and_identifiers(sources):
    hood = neighbourhood(sources, BTC, depth=1, max_nodes=400)
    assert {SITE_A.id, SITE_B.id, FORUM.id, CHANNEL.id, HOSTILE.id, DEALER.id} <= hood.nodes.keys()
    assert {f"entity:{world.PGP}", f"entity:{world.EMAIL}", f"entity:{world.ETH}"} <= hood.nodes.keys()
    assert len(hood.nodes) == 1 + 6 + 4 + world.FILLERS  # centre, 3 sites + channel + 2 vendors, 4 ids, fillers
    assert hood.hidden == 0
    assert hood.nodes[BTC.id].entity_type == "BTC"
    edge = hood.edge(BTC.id, SITE_B.id)
    assert edge.relations == ["seen on"]
    (evidence,) = edge.evidence
    assert evidence.url == f"http://{world.MARKET_B}/shop/dealer2"
    assert evidence.seen_at == world.TIMES["b"]
    assert world.BTC in evidence.snippet
    assert hood.nodes[BTC.id].first_seen == world.TIMES["a"]
    assert hood.nodes[BTC.id].last_seen == world.TIMES["post"]


def test_size_and_depth_are_bounded_and_what_is_left_out_is_counted(sources):
    full = neighbourhood(sources, BTC, depth=1, max_nodes=400)
    small = neighbourhood(sources, BTC, depth=1, max_nodes=12)
    assert len(small.nodes) == 12
    assert small.hidden == len(full.nodes) - 12
    assert small.nodes[BTC.id].hidden == small.hidden
    assert {HOSTILE.id, DEALER.id, CHANNEL.id, SITE_A.id} <= small.nodes.keys()  # who and where before fillers
    assert all(edge.a.id in small.nodes and edge.b.id in small.nodes for edge in small.edges.values())
    assert len(neighbourhood(sources, BTC, depth=0).nodes) == 1
    two = neighbourhood(sources, DEALER, depth=2, max_nodes=400)
    one = neighbourhood(sources, DEALER, depth=1, max_nodes=400)
    assert max(n.depth for n in two.nodes.values()) == 2
    assert max(n.depth for n in one.nodes.values()) == 1
    assert len(two.nodes) > len(one.nodes)


def test_a_vendor_links_to_its_sites_identifiers_and_the_same_identity(sources):
    hood = neighbourhood(sources, HOSTILE, depth=1, max_nodes=60)
    assert hood.nodes[HOSTILE.id].label == world.HOSTILE  # as crawled; escaping is the renderer's job
    assert "sells on" in hood.edge(HOSTILE.id, SITE_A.id).relations
    shows = hood.edge(HOSTILE.id, f"entity:{world.PGP}")
    assert shows.relations == ["shows"]
    assert shows.evidence[0].url == f"http://{world.MARKET_A}/vendor/evil"
    same = hood.edge(HOSTILE.id, DEALER.id)
    assert same.relations == ["same identity"]
    assert same.strength == "strong"
    assert "payout" in same.evidence[0].how


def test_a_channel_and_its_username_handle_are_linked(sources):
    hood = neighbourhood(sources, CHANNEL, depth=1)
    handle = f"entity:{world.CHANNEL}"
    assert "channel of handle" in hood.edge(CHANNEL.id, handle).relations
    assert hood.edge(CHANNEL.id, BTC.id).evidence[0].url == f"https://t.me/{world.CHANNEL}/7"
    from_handle = neighbourhood(sources, NodeRef("entity", world.CHANNEL), depth=1)
    assert CHANNEL.id in from_handle.nodes


def test_an_onion_link_is_an_edge_to_that_site(sources):
    hood = neighbourhood(sources, SITE_A, depth=1)
    assert hood.edge(SITE_A.id, FORUM.id).relations == ["links to"]


def test_evidence_between_two_nodes_from_either_side(sources):
    items = evidence_between(sources, SITE_B, BTC)
    assert [e.url for e in items] == [f"http://{world.MARKET_B}/shop/dealer2"]
    assert evidence_between(sources, BTC, NodeRef("entity", "bc1qnothing")) == []


def test_evidence_per_edge_is_capped_but_counted(sources):
    index = sources.index
    pages = [
        world.page(
            f"http://{world.MARKET_B}/p{i}", world.MARKET_B, world.TIMES["b"], "", [world.entity("BTC", world.BTC)]
        )
        for i in range(MAX_EVIDENCE + 5)
    ]
    index.add_pages(pages)
    index.commit()
    edge = neighbourhood(sources, BTC, depth=1).edge(BTC.id, SITE_B.id)
    assert len(edge.evidence) == MAX_EVIDENCE
    assert edge.evidence_total == MAX_EVIDENCE + 6


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("vendor:Dealer2", DEALER),
        (f"site:{world.MARKET_A.upper()}", SITE_A),
        ("channel:@Evil_Handle", CHANNEL),
        (f"entity:{world.BTC}", BTC),
    ],
)
def test_node_ids_are_normalised(typed, expected):
    assert node_ref(typed) == expected


@pytest.mark.parametrize("bad", ["nokind", "planet:x", "entity:", "channel:ab"])
def test_bad_node_ids_are_refused_with_a_reason(bad):
    with pytest.raises(ValueError, match=r".+"):
        node_ref(bad)
