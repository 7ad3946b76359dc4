"""A watch's value is normalised as the entity extractor normalises what it finds on a page."""

from __future__ import annotations

import pytest

from oniondex.entities import extract_entities
from oniondex.page import Page
from oniondex.watch import WatchValueError, normalise_watch
from sample_darknet import build_world

ONION = build_world().by_id("shop-iceking").onion


def found_on_a_page(text: str) -> set[tuple[str, str]]:
    page = Page(f"http://{ONION}/", f"<p>{text}</p>".encode(), "text/html; charset=utf-8", 200)
    return {(e.type, e.value) for e in extract_entities(page)}


@pytest.mark.parametrize(
    ("kind", "typed", "on_page"),
    [
        ("btc", "1KqLYrZrNMRLKvuNovG17ZaR41YueEWiMo", "pay to 1KqLYrZrNMRLKvuNovG17ZaR41YueEWiMo"),
        ("entity", " BC1QN88L88E2S9R0NQRCH8YEEUUY6L45F4JWVNS4YC ", "bc1qn88l88e2s9r0nqrch8yeeuuy6l45f4jwvns4yc"),
        ("eth", "0x3C85F49F770B10C54AB41C2F4146A09785CCF0EF", "0x3c85f49f770b10c54ab41c2f4146a09785ccf0ef"),
        ("telegram", "@IceKing_KR", "Telegram: @iceking_kr"),
        ("telegram", "https://t.me/iceking_kr", "t.me/iceking_kr"),
        ("handle", "iceking_kr", "telegram @iceking_kr"),
        ("phone", "010-4821-7730", "tel 010 4821 7730"),
        ("phone", "+82 10 4821 7730", "tel 010-4821-7730"),
        ("email", "IceKing@ProtonMail.com", "iceking@protonmail.com"),
        ("onion", ONION.upper(), f"see http://{ONION}/"),
    ],
)
def test_watch_values_equal_what_extraction_reports(kind, typed, on_page):
    watch_kind, entity_type, value = normalise_watch(kind, typed)
    assert watch_kind == "entity"
    assert (entity_type, value) in found_on_a_page(on_page)


def test_pgp_fingerprints_with_spaces_and_prefix():
    fingerprint = "AB35 B5C1 70F4 3A01 8D16  23AC 33BC 1A9B EA84 036B"
    assert normalise_watch("pgp", "0x" + fingerprint.lower()) == ("entity", "pgp", fingerprint.replace(" ", ""))
    assert normalise_watch("entity", fingerprint)[1] == "pgp"


@pytest.mark.parametrize(
    ("kind", "typed"),
    [
        ("btc", "1KqLYrZrNMRLKvuNovG17ZaR41YueEWiMx"),  # checksum fails
        ("btc", "0x3c85f49f770b10c54ab41c2f4146a09785ccf0ef"),  # an ETH address is not a BTC one
        ("pgp", "AB35B5C170F43A01"),  # a key id, not a fingerprint
        ("phone", "12"),
        ("site", "example.com"),
        ("page", "ftp://x.onion/"),
        ("vendor", "-- __ --"),
        ("nonsense", "x"),
        ("btc", ""),
    ],
)
def test_bad_values_are_refused_with_a_reason(kind, typed):
    with pytest.raises(WatchValueError, match=r"\S"):
        normalise_watch(kind, typed)


def test_vendor_site_and_page_values():
    assert normalise_watch("vendor", "Ice_King") == ("vendor", "", "iceking")
    assert normalise_watch("site", f"http://{ONION.upper()}/shop") == ("site", "", ONION)
    assert normalise_watch("page", f"http://{ONION}") == ("page", "", f"http://{ONION}/")
