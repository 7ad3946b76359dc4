"""The rule that picks a cluster's original and flags clones (oniondex/clusters/clones.py)."""

from __future__ import annotations

from oniondex.clusters.clones import flag_clones
from oniondex.clusters.model import Identifier


def shows(*values: str, kind: str = "payout") -> set[Identifier]:
    return {Identifier("iceking", kind, v) for v in values}


SEEN = {"a": "2026-01-01", "b": "2026-01-02", "c": "2026-01-03"}


def no_support(values, members) -> int:
    return 0


def test_majority_decides_without_outside_sightings():
    original, [flag] = flag_clones("abc", {"a": shows("X"), "b": shows("Y"), "c": shows("Y")}, SEEN, no_support)
    assert flag.site == "a"
    assert original in ("b", "c")
    assert flag.original == "b"


def test_outside_sightings_beat_the_majority():
    # The scammer runs two mirrors of the clone; only the real address is seen on the vendor's other sites.
    def support(values, members):
        return 3 if "X" in values else 0

    original, flags = flag_clones("abc", {"a": shows("X"), "b": shows("Y"), "c": shows("Y")}, SEEN, support)
    assert original == "a"
    assert [f.site for f in flags] == ["b", "c"]
    assert all(f.original == "a" and f.swaps[0].clone_values == ("Y",) for f in flags)


def test_earliest_seen_breaks_a_tie():
    original, [flag] = flag_clones("ab", {"a": shows("X"), "b": shows("Y")}, SEEN, no_support)
    assert (original, flag.site) == ("a", "b")


def test_a_missing_value_is_not_a_swap():
    # A mirror whose page lost its XMR address (or extraction missed it) shows less, not something else.
    _original, flags = flag_clones("ab", {"a": shows("X", "M"), "b": shows("X")}, SEEN, no_support)
    assert flags == ()


def test_swapped_contact_and_key_are_both_evidence():
    a = shows("K1", kind="pgp") | shows("telegram:ice", kind="contact")
    b = shows("K2", kind="pgp") | shows("telegram:ice_official", kind="contact")
    _, [flag] = flag_clones("ab", {"a": a, "b": b}, SEEN, no_support)
    assert flag.swapped_values() == {"K2", "telegram:ice_official"}
