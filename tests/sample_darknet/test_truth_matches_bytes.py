"""The truth promises only what the served bytes show: entities, terms, links, decoys."""

from __future__ import annotations

import re

import pytest
from darknet_checks import anywhere, decoded, fingerprints

from oniondex.page import Page
from sample_darknet import World
from sample_darknet.model import Entity, PageSpec, Site


def _pages(world: World) -> list[tuple[Site, PageSpec]]:
    return [
        (site, page)
        for site in world.sites.values()
        for page in site.pages.values()
        if page.stream is None and not page.media
    ]


def _present(entity: Entity, text: str) -> bool:
    lowered = text.lower()
    if entity.type == "pgp":
        return entity.value in fingerprints(text)
    if entity.type == "phone":
        return "0" + entity.value.removeprefix("+82") in re.sub(r"[\s-]", "", text)
    if entity.type == "telegram":
        return f"@{entity.value}" in lowered or f"t.me/{entity.value}" in lowered
    return entity.value.lower() in lowered


def test_entities_are_in_the_bytes(world: World) -> None:
    missing = [
        (site.site_id, page.path, entity)
        for site, page in _pages(world)
        for entity in page.entities
        if not _present(entity, anywhere(page))
    ]
    assert missing == []


def test_entities_in_visible_text_survive_rendering(world: World) -> None:
    for site, page in _pages(world):
        text = Page(site.base + page.path, page.body, page.content_type).text.lower()
        for entity in page.entities:
            if entity.placement == "text" and entity.type not in ("pgp", "phone", "telegram"):
                assert entity.value.lower() in text, (site.site_id, page.path, entity)


def test_terms_are_visible(world: World) -> None:
    for site, page in _pages(world):
        text = Page(site.base + page.path, page.body, page.content_type).text
        assert [t for t in page.terms if t not in text] == [], (site.site_id, page.path)


def test_links_match_what_a_parser_finds(world: World) -> None:
    for site, page in _pages(world):
        if not page.content_type.startswith("text/html") or page.status != 200:
            continue
        found = set(Page(site.base + page.path, page.body, page.content_type).links)
        assert found == set(page.links + page.onion_links + page.clearnet_links), (site.site_id, page.path)


def test_decoys_are_not_visible_as_entities(world: World) -> None:
    for site, page in _pages(world):
        text = Page(site.base + page.path, page.body, page.content_type).text
        for decoy in page.decoys:
            if decoy["kind"] == "address_in_script":
                assert decoy["value"] in decoded(page)
                assert decoy["value"] not in text
            else:
                assert not any(e.value == decoy["value"] for e in page.entities)


@pytest.mark.parametrize("site_id", ["enc-euckr", "enc-cp1251"])
def test_legacy_encodings_decode_to_the_terms(world: World, site_id: str) -> None:
    site = world.by_id(site_id)
    header_only, meta_only = site.pages["/"], next(p for path, p in site.pages.items() if path != "/")
    assert "charset=" in header_only.content_type
    assert b"<meta charset" not in header_only.body
    assert meta_only.content_type == "text/html"
    assert b"<meta charset" in meta_only.body
    for page in (header_only, meta_only):
        with pytest.raises(UnicodeDecodeError):
            page.body.decode("utf-8")
        assert all(term in page.body.decode(page.encoding) for term in page.terms)
        assert Page(site.base + page.path, page.body, page.content_type).encoding.replace("_", "-") in (
            "euc-kr",
            "cp949",
            "cp1251",
            "windows-1251",
        )
        assert page.terms
