"""The issue's done criteria, measured on the sample darknet (as `oniondex quality listings` does)."""

from __future__ import annotations

from oniondex.listings.records import SCORED_FIELDS
from oniondex.quality.listings import GENERIC_TARGET, PROFILE_TARGET, measure_listings


def test_field_accuracy_with_profiles_and_on_held_out_layouts(world) -> None:
    runs = measure_listings(world)
    assert runs["profiles"].truth >= 150
    for field in SCORED_FIELDS:
        assert runs["profiles"].accuracy(field) >= PROFILE_TARGET, field
        assert runs["generic_holdout"].accuracy(field) >= GENERIC_TARGET, field


def test_multi_listing_pages_yield_one_record_per_listing(world) -> None:
    from oniondex.listings import listing_records
    from oniondex.quality.listings import served_pages

    site = world.by_id("market-table")
    for spec, page in served_pages(site):
        if len(spec.listings) > 1:
            assert len(listing_records(page, profiles=[])) == len(spec.listings), page.url
