from __future__ import annotations

import json

from oniondex.onion import is_valid_onion, onion_from_pubkey
from sample_darknet import World, build_world
from sample_darknet.addresses import KINDS
from sample_darknet.keys import ed25519_public, site_key_seed


def test_same_seed_same_world(world: World) -> None:
    again = build_world()
    assert json.dumps(again.truth(), sort_keys=True) == json.dumps(world.truth(), sort_keys=True)
    for host, site in world.sites.items():
        assert [p.body for p in site.pages.values()] == [p.body for p in again.sites[host].pages.values()]


def test_other_seed_other_names(world: World) -> None:
    assert not set(build_world(seed=7).sites) & set(world.sites)


def test_size_and_kinds(world: World) -> None:
    kinds = {site.kind for site in world.sites.values()}
    layouts = {site.layout for site in world.sites.values() if site.kind == "market" and site.served}
    statuses = {site.status for site in world.sites.values()}
    assert len(world.sites) >= 40
    assert len(layouts) >= 6
    assert {"market", "shop", "forum", "paste", "directory", "korean_ads", "ordinary", "hostile", "trap"} <= kinds
    assert {"up", "dead", "slow", "trap", "flood", "huge", "bomb", "redirect", "media"} <= statuses


def test_names_come_from_the_key_seed(world: World) -> None:
    for host, site in world.sites.items():
        assert is_valid_onion(host)
        assert site.key_seed == site_key_seed(world.seed, site.site_id)
        assert onion_from_pubkey(ed25519_public(site.key_seed)) == host


def test_truth_is_json_with_the_promised_fields(world: World) -> None:
    truth = json.loads(json.dumps(world.truth()))
    assert truth["seed"] == world.seed
    page = truth["sites"][world.by_id("market-table").onion]["pages"]["/"]
    assert {
        "url",
        "title",
        "content_type",
        "encoding",
        "depth",
        "links",
        "onion_links",
        "clearnet_links",
        "media",
        "entities",
        "listings",
        "vendors",
        "terms",
        "drug_tags",
        "hostile",
    } <= set(page)
    assert truth["sites"][world.by_id("market-table").onion]["layout"] == "table"


def test_every_entity_type_and_address_kind_appears(world: World) -> None:
    types = {e.type for s in world.sites.values() for p in s.pages.values() for e in p.entities}
    assert types == set(KINDS.values()) | {"onion", "email", "pgp", "telegram", "phone"}
    placements = {e.placement for s in world.sites.values() for p in s.pages.values() for e in p.entities}
    assert {"text", "href", "attr", "comment", "split", "zero_width", "obfuscated", "pgp_block"} <= placements
    decoys = {d["kind"] for s in world.sites.values() for p in s.pages.values() for d in p.decoys}
    assert {"tx_hash", "pgp_fingerprint_0x", "base58_bad_checksum", "address_in_script"} <= decoys


def test_every_served_page_is_reachable_and_dead_sites_have_none(world: World) -> None:
    for site in world.sites.values():
        if not site.served:
            assert site.pages == {}
            continue
        unreachable = [path for path, page in site.pages.items() if page.depth is None]
        assert unreachable == [], site.site_id


def test_listings_carry_the_fields(world: World) -> None:
    listings = [item for s in world.sites.values() for p in s.pages.values() for item in p.listings]
    assert {item.currency for item in listings} == {"USD", "EUR", "BTC", "XMR", "KRW", "RUB"}
    for item in listings:
        assert item.title
        assert item.price > 0
        assert item.category
        assert item.drug_tag
        assert item.url


def test_market_lists_show_several_listings(world: World) -> None:
    for site in world.sites.values():
        if site.kind != "market" or not site.served:
            continue
        lists = [p for path, p in site.pages.items() if path != "/" and len(p.listings) > 1]
        assert len(lists) >= 3, site.site_id
        assert any(p.vendors for p in site.pages.values())


def test_vendor_links(world: World) -> None:
    links = world.truth()["vendor_links"]
    strong = {(link["evidence"], tuple(link["vendor_ids"])) for link in links if link["strength"] == "strong"}
    assert ("pgp", ("iceking",)) in strong
    assert ("payout", ("pharmabro",)) in strong
    assert not any(link["evidence"] == "pgp" and link["vendor_ids"] == ["pharmabro"] for link in links)
    weak = [link for link in links if link["strength"] == "weak"]
    assert weak
    assert weak[0]["vendor_ids"] == ["greendragon", "greendrag0n"]
    assert all(len(link["vendor_ids"]) == 1 for link in links if link["strength"] == "strong")


def test_ordinary_pages_have_no_drug_tags(world: World) -> None:
    for site in world.sites.values():
        if site.kind == "ordinary":
            assert all(page.drug_tags == [] for page in site.pages.values())
        if site.kind == "korean_ads":
            assert all(page.drug_tags for path, page in site.pages.items() if path != "/")


def test_traps_are_marked_and_infinite(world: World) -> None:
    calendar = world.by_id("trap-calendar")
    assert calendar.trap["infinite"]
    assert set(calendar.pages) == set(calendar.trap["finite_pages"])
    page = calendar.lookup("/calendar/9999/12")
    assert page is not None
    assert calendar.base + "/calendar/10000/1" in page.links
    deep = world.by_id("trap-deep")
    assert deep.lookup("/deep" + "/a" * 50) is not None
    assert deep.lookup("/nope") is None
