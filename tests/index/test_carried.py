"""A page crawled once carries its versions, sightings and listings (embedded.py): every read gives what writing them
out as documents gives, through recrawls (same content, changed content, a lost entity), repeats within one
batch, and writes that land before or after a commit."""

import pytest

from oniondex.index import embedded
from oniondex.index.embedded import EmbeddedIndex
from tests.index.test_contract import BTC, A, B, entity, page, pages

KINDS = ("pages", "versions", "entities", "listings", "vendors", "sites")
LATER = "2026-12-01T09:00:00+00:00"


def recrawl():
    """The contract's pages crawled again: one changed, one lost its entity, one the same, one new."""
    first, korean, forum, ice = pages(LATER)
    changed = page(
        A,
        "/",
        "Escrow market",
        "Full escrow. Ships to Korea too.",
        LATER,
        listings=first["listings"],
        entities=[*first["entities"], entity("telegram", "seoulman_kr", f"http://{A}/", A)],
    )
    lost = {**forum, "entities": []}
    new = page(B, "/3", "Pay here", "Send BTC to the address", LATER, entities=[entity("BTC", BTC, f"http://{B}/3", B)])
    return [changed, korean, lost, ice, new]


def named():
    """Pages whose listings name other pages' URLs: one with the key of a listing A's front page carries
    (upserted into it when written out), one naming B's forum, and a page listing the same item twice."""
    ice = {"title": "Ice 1g", "price": 110.0, "currency": "USD", "vendor": "seoulman", "url": f"http://{A}/"}
    other = {"title": "Forum ad", "price": 5.0, "currency": "USD", "url": f"http://{B}/"}
    twice = {"title": "Pills", "price": 9.0, "currency": "USD"}
    return [
        page(B, "/4", "Resellers", "Also sold here", LATER, listings=[ice, other]),
        page(B, "/5", "Shop", "Pills twice", LATER, listings=[twice, twice]),
    ]


def reads(index):
    urls = [f"http://{A}/", f"http://{A}/ko", f"http://{B}/", f"http://{B}/2", f"http://{B}/3"]
    pivots = {value: index.pivot(value) for value in (BTC, "icekorea", "seoulman_kr")}
    return {kind: index.count(kind) for kind in KINDS}, {u: index.versions(u) for u in urls}, pivots


def written(tmp_path, name, batches, carried):
    index = EmbeddedIndex(tmp_path / name)
    with pytest.MonkeyPatch.context() as patch:
        if not carried:
            patch.setattr(embedded, "CARRIED", ())
        for batch, commit in batches:
            index.add_pages(batch)
            if commit:
                index.commit()
    index.commit()
    try:
        return reads(index)
    finally:
        index.close()


@pytest.mark.parametrize(
    "batches",
    [
        [(pages(), True), (recrawl(), True)],
        [(pages(), False), (recrawl(), True)],  # the recrawl finds the first crawl pending, not committed
        [(pages() + recrawl(), True)],  # both crawls in one batch
        [(pages(), True), (recrawl(), True), (pages("2027-01-01T00:00:00+00:00"), True)],
        [(pages(), True), (named(), True), (recrawl(), True)],  # a listing naming a page that carries its key
        [(pages(), False), (named(), True)],  # ... pending, not committed
        [(pages() + named(), True)],  # ... in the same batch
        [(named(), True), (pages(), True)],  # named before the page is crawled: the page carries none
    ],
)
def test_carried_documents_read_as_written_ones(tmp_path, batches):
    assert written(tmp_path, "carried", batches, True) == written(tmp_path, "written", batches, False)


def test_a_first_crawl_writes_one_document_a_page_beside_vendors_and_sites(tmp_path):
    index = EmbeddedIndex(tmp_path / "index")
    index.add_pages(pages())
    index.commit()
    searcher = index._index.searcher()
    assert searcher.num_docs == 4 + 1 + 2  # pages, vendors, sites: no version, entity or listing documents
    assert (index.count("versions"), index.count("entities"), index.count("listings")) == (4, 3, 2)
    index.close()
