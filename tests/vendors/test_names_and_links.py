from __future__ import annotations

from oniondex.vendors import VendorView, correlate, find_vendor, normalise_name


def test_normalised_names() -> None:
    assert normalise_name("Pharma_Bro") == normalise_name("PharmaBro") == "pharmabro"
    assert normalise_name("GreenDrag0n") == "greendragon"
    assert normalise_name("서울공급") == "서울공급"


def _view(site: str, name: str, **kw) -> VendorView:
    return VendorView(site=site, name=name, **kw)


def test_strong_links_join_identities_and_weak_ones_do_not() -> None:
    views = [
        _view("a.onion", "IceKing", pgp=("AB" * 20,)),
        _view("b.onion", "IceKing_KR", pgp=("AB" * 20,)),
        _view("c.onion", "Ice_King", payout=(("BTC", "1abc"),)),
        _view("d.onion", "Pharma", contacts=(("telegram", "rx"),)),
        _view("e.onion", "Pharma_2", contacts=(("telegram", "RX"),)),
    ]
    found = correlate(views)
    strong = {(x.evidence, x.members) for x in found.links if x.strength == "strong"}
    assert ("pgp", (("a.onion", "IceKing"), ("b.onion", "IceKing_KR"))) in strong
    assert ("contact", (("d.onion", "Pharma"), ("e.onion", "Pharma_2"))) in strong
    weak = [x for x in found.links if x.strength == "weak"]
    assert [(x.value, x.members) for x in weak] == [("iceking", (("a.onion", "IceKing"), ("c.onion", "Ice_King")))]
    [group] = find_vendor(found, "ab" * 4)
    assert {v.site for v in group} == {"a.onion", "b.onion"}


def test_same_site_evidence_is_no_link() -> None:
    found = correlate([_view("a.onion", "X", pgp=("CD" * 20,)), _view("a.onion", "Y", pgp=("CD" * 20,))])
    assert found.links == []
