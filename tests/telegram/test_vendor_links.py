"""A handle or wallet a channel's posts share with an onion vendor is a strong link; a chat channel is no vendor."""

from oniondex.extraction import extract_page
from oniondex.quality.telegram import parsed_posts
from oniondex.telegram.history import post_record
from oniondex.telegram.records import ChannelInfo
from oniondex.vendors.names import normalise_name
from oniondex.vendors.records import Identifier, VendorRecord
from oniondex.vendors.store import VendorStore, correlate_store
from pipelines.telegram_vendors import TelegramVendorPipeline
from sample_darknet.identities import vendors
from sample_telegram.world import DEFAULT_SEED, build_world


def crawl_posts(pipeline, channel):
    info = ChannelInfo(channel.username, channel.title)
    for _sample, post in list(parsed_posts(channel))[-40:]:
        record = post_record(post, info, "2026-12-01T00:00:00+00:00")
        record.extraction = extract_page(record.page, record.fetched_at)
        pipeline.process_item(record)


def test_channel_and_onion_vendor_sharing_a_handle_and_wallet_are_strongly_linked(tmp_path):
    world = build_world()
    seoul = vendors(DEFAULT_SEED)["seoulsupply"]
    onion = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"
    store = VendorStore(tmp_path / "vendors.db")
    store.add_vendor(VendorRecord(
        name="SeoulSupply", name_normalised=normalise_name("SeoulSupply"), site=onion, url="",
        contacts=(Identifier("telegram", seoul.spec.telegram),),
        payout=(Identifier(seoul.payout.type, seoul.payout.value),),
        first_seen="2026-11-01T00:00:00+00:00", last_seen="2026-11-01T00:00:00+00:00",
    ))  # fmt: skip
    store.commit()
    store.close()
    pipeline = TelegramVendorPipeline(tmp_path / "vendors.db")
    pipeline.open_spider()
    for name in ("seoul_supply_ch", "seoul_cafe_daily", "crystal_clear_usa"):
        crawl_posts(pipeline, world.channels[name])
    pipeline.close_spider()
    correlation = correlate_store(tmp_path / "vendors.db")
    strong = {(link.evidence, link.value) for link in correlation.links if link.strength == "strong"}
    assert ("contact", f"telegram:{seoul.spec.telegram}") in strong
    assert ("payout", seoul.payout.value) in strong
    for link in correlation.links:
        assert {site for site, _ in link.members} == {onion, "t.me/seoul_supply_ch"}
    sites = {view.site for view in correlation.views}
    assert "t.me/seoul_cafe_daily" not in sites  # a café channel shows no handle or wallet: no vendor
    assert "t.me/crystal_clear_usa" in sites  # a seller, but unlinked: it shares nothing with the onion vendor
