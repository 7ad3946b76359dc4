"""extract_page: one typed extraction per page; the serializer turns it into the index's documents."""

from __future__ import annotations

import json

import pytest

from oniondex.cli import main
from oniondex.entities import Entity
from oniondex.extraction import MAX_TEXT_CHARS, PageExtraction, extract_page
from oniondex.index.documents import DOCUMENT_VERSION, actions_for, record_document
from oniondex.listings.records import ListingRecord
from oniondex.page import Page
from oniondex.quality.listings import served_pages
from oniondex.records import PageRecord
from oniondex.vendors.records import VendorRecord

SEEN = "2026-01-02T03:04:05Z"


@pytest.fixture(scope="module")
def vendor_pages():
    """(truth VendorView, Page) for every sample-darknet page presenting a vendor and showing its PGP key,
    payout addresses and contacts itself (some shops show them across several pages)."""
    from sample_darknet.world import build_world

    found = []
    for site in build_world().sites.values():
        for spec, page in served_pages(site):
            shown = {entity.value for entity in spec.entities}
            for view in spec.vendors:
                identifiers = {view.pgp, *(value for _type, value in (*view.payout, *view.contacts))}
                if view.pgp and view.payout and view.contacts and identifiers <= shown:
                    found.append((view, page))
    assert len(found) >= 5
    return found


def test_extraction_is_typed_end_to_end(vendor_pages) -> None:
    truth, page = vendor_pages[0]
    found = extract_page(page, SEEN)
    assert isinstance(found, PageExtraction)
    assert found.entities
    assert all(isinstance(e, Entity) and e.seen_at == SEEN for e in found.entities)
    assert found.listings
    assert all(isinstance(x, ListingRecord) for x in found.listings)
    [vendor] = found.vendors
    assert isinstance(vendor, VendorRecord)
    assert (vendor.name, vendor.site, vendor.first_seen) == (truth.name, page.host, SEEN)
    assert found.language == "en"
    assert found.title == page.title
    assert found.links == tuple(page.links)


def test_vendor_documents_carry_pgp_payouts_and_handles_from_real_extractor_output(vendor_pages) -> None:
    for truth, page in vendor_pages:
        record = PageRecord(page.url, page.host, SEEN, 200, extraction=extract_page(page, SEEN))
        document = json.loads(json.dumps(record_document(record)))  # as the spool and Elasticsearch see it
        assert document["document_version"] == DOCUMENT_VERSION
        [vendor_doc] = [a.doc for a in actions_for(document) if a.kind == "vendors"]
        assert vendor_doc["name"] == truth.name
        assert vendor_doc["fingerprints"] == [truth.pgp]
        assert vendor_doc["payouts"] == sorted(value for _type, value in truth.payout)
        assert vendor_doc["handles"] == sorted(value for _type, value in truth.contacts)


def test_page_document_from_the_serializer(vendor_pages) -> None:
    truth, page = vendor_pages[0]
    record = PageRecord(page.url, page.host, SEEN, 200, depth=1, extraction=extract_page(page, SEEN))
    actions = list(actions_for(record_document(record)))
    assert [a.kind for a in actions][:1] == ["pages"]
    page_doc = actions[0].doc
    assert truth.pgp in page_doc["entity"]
    assert truth.name in page_doc["vendor"]
    assert page_doc["record"]["vendors"][0]["contacts"]
    listings = [a.doc for a in actions if a.kind == "listings"]
    assert {x["vendor"] for x in listings} == {truth.name}


def test_a_record_from_a_newer_oniondex_is_refused() -> None:
    record = record_document(PageRecord("http://x.onion/", "x.onion", SEEN, 200))
    with pytest.raises(ValueError, match="newer"):
        list(actions_for({**record, "document_version": DOCUMENT_VERSION + 1}))


def test_page_fields_are_capped_and_onion_links_are_other_sites() -> None:
    other = "fb3pditshtpb5mtd3up7jesycmhitaxagrlobbvz4cgabhzjnefoqgqd.onion"  # a valid v3 name
    body = f"<title>t</title><a href='http://{other}/x'>o</a><a href='/self'>s</a><p>{'x ' * MAX_TEXT_CHARS}</p>"
    found = extract_page(Page("http://x.onion/", body.encode()), SEEN)
    assert len(found.text) == MAX_TEXT_CHARS
    assert found.onion_links == (other,)


def test_extract_command_prints_vendors_with_their_identifiers(vendor_pages, tmp_path, capsys) -> None:
    truth, page = vendor_pages[0]
    saved = tmp_path / "page.html"
    saved.write_bytes(page.body)
    assert main(["extract", str(saved), "--url", page.url, "--fetched-at", SEEN]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"url", "language", "tags", "entities", "listings", "vendors"} <= set(report)
    [vendor] = report["vendors"]
    assert vendor["name"] == truth.name
    assert vendor["pgp"] == [truth.pgp]
    assert {(c["type"], c["value"]) for c in vendor["contacts"]} == set(truth.contacts)
