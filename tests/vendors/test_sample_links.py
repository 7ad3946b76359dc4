"""Cross-site vendor links on the sample darknet: every true strong link found, no false one."""

from __future__ import annotations

import pytest

from oniondex.quality.vendor_links import measure_links


@pytest.mark.parametrize("profiles", [None, []], ids=["profiles", "generic"])
def test_vendor_links_match_the_truth(world, profiles) -> None:
    quality, _ = measure_links(world, profiles)
    assert quality.true_pairs
    assert not quality.missed
    assert not quality.false
    assert not quality.evidence_missing
    assert quality.weak_found == quality.weak_truth == 1


@pytest.fixture(scope="module")
def world():
    from sample_darknet.world import build_world

    return build_world()
