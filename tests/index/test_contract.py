"""The behaviour every index backend owes `oniondex search`, the pipelines and the UI.

Runs against the embedded index here and against Elasticsearch in tests/es/test_contract_es.py (the same
functions, with that directory's `index` fixture)."""

import pytest

from oniondex.index import SearchQuery

A = "a" * 52 + "aaad.onion"
B = "b" * 52 + "bbbd.onion"
BTC = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
ALL = {f"http://{A}/", f"http://{A}/ko", f"http://{B}/", f"http://{B}/2"}


def page(site, path, title, text, fetched_at="2026-11-21T10:00:00+00:00", **extra):
    url = f"http://{site}{path}"
    doc = {"id": url, "url": url, "site": site, "title": title, "text": text, "fetched_at": fetched_at}
    doc.update({"language": "en", "sha256": f"sha-{len(text)}-{title}", **extra})
    return doc


def entity(type_, value, url, site):
    return {"type": type_, "value": value, "snippet": f"… {value} …", "offset": 0, "url": url, "site": site}


def pages(fetched_at="2026-11-21T10:00:00+00:00"):
    return [
        page(
            A,
            "/",
            "Escrow market",
            "Full escrow on every order. Ships worldwide.",
            fetched_at,
            tags=["market"],
            listings=[{"title": "Ice 1g", "price": 120.0, "currency": "USD", "vendor": "seoulman"}],
            vendors=[{"name": "seoulman", "pgp_fingerprint": "A" * 40}],
            entities=[entity("BTC", BTC, f"http://{A}/", A)],
        ),
        page(
            A,
            "/ko",
            "광고",
            "아이스를 팝니다. 텔레그램 문의. 던지기 가능",
            fetched_at,
            language="ko",
            tags=["methamphetamine"],
            listings=[{"title": "아이스 1g", "price": 150000, "currency": "KRW"}],
            entities=[entity("telegram", "icekorea", f"http://{A}/ko", A)],
        ),
        page(
            B,
            "/",
            "Forum",
            "We discuss escrows and ice cream.",
            "2026-10-01T08:00:00Z",
            entities=[entity("BTC", BTC, f"http://{B}/", B)],
        ),
        page(B, "/2", "아이스크림", "맛있는 아이스크림 가게", "2026-10-01T08:00:00Z", language="ko"),
    ]


@pytest.fixture
def filled(index):
    result = index.add_pages(pages())
    assert (result.indexed, result.failed) == (4, [])
    index.commit()
    return index


def hits(index, **query):
    return {h.url for h in index.search(SearchQuery(**query)).hits}


def test_english_stemming(filled):
    assert hits(filled, text="escrow") == {f"http://{A}/", f"http://{B}/"}


def test_korean_word_inside_a_longer_word(filled):
    # 아이스 is inside 아이스를 (with a particle) and inside 아이스크림 (ice cream): both are found.
    assert hits(filled, text="아이스") == {f"http://{A}/ko", f"http://{B}/2"}
    assert hits(filled, text="던지기") == {f"http://{A}/ko"}
    assert hits(filled, text="아이스크림") == {f"http://{B}/2"}


def test_phrase_and_operators(filled):
    assert hits(filled, text='"full escrow"') == {f"http://{A}/"}
    assert hits(filled, text="escrow -cream") == {f"http://{A}/"}
    assert hits(filled, text="escrow NOT cream") == {f"http://{A}/"}
    assert hits(filled, text="worldwide OR 던지기") == {f"http://{A}/", f"http://{A}/ko"}
    assert hits(filled, text="escrow AND ice") == {f"http://{B}/"}


def test_filters(filled):
    assert hits(filled, text="escrow", site=B) == {f"http://{B}/"}
    assert hits(filled, language="ko") == {f"http://{A}/ko", f"http://{B}/2"}
    assert hits(filled, tags=("methamphetamine",)) == {f"http://{A}/ko"}
    assert hits(filled, entity=BTC) == {f"http://{A}/", f"http://{B}/"}
    assert hits(filled, entity_type="telegram") == {f"http://{A}/ko"}


def test_date_and_price_filters(filled):
    assert hits(filled, date_from="2026-11-01T00:00:00Z") == {f"http://{A}/", f"http://{A}/ko"}
    assert hits(filled, date_to="2026-10-01T08:00:00+00:00") == {f"http://{B}/", f"http://{B}/2"}
    assert hits(filled, price_min=100, price_max=200) == {f"http://{A}/"}
    assert hits(filled, price_min=1000) == {f"http://{A}/ko"}
    assert hits(filled, currency="KRW") == {f"http://{A}/ko"}


def test_same_id_replaces(filled):
    filled.add_pages([page(A, "/", "Escrow market v2", "changed")])
    filled.commit()
    assert filled.count() == 4
    assert filled.get(f"http://{A}/")["title"] == "Escrow market v2"


def test_recrawl_changes_no_count_and_a_changed_page_adds_a_version(filled):
    kinds = ("pages", "versions", "entities", "listings", "vendors", "sites")
    before = {kind: filled.count(kind) for kind in kinds}
    assert before == {"pages": 4, "versions": 4, "entities": 3, "listings": 2, "vendors": 1, "sites": 2}
    filled.add_pages(pages("2026-12-01T00:00:00Z"))  # the same content, a week later
    filled.commit()
    assert {kind: filled.count(kind) for kind in kinds} == before
    filled.add_pages([page(B, "/2", "아이스크림", "가게 문 닫음", "2026-12-02T00:00:00Z")])
    filled.commit()
    assert {kind: filled.count(kind) for kind in kinds} == before | {"versions": 5}
    history = filled.versions(f"http://{B}/2")
    assert [v["text"] for v in history] == ["맛있는 아이스크림 가게", "가게 문 닫음"]
    assert history[0]["fetched_at"] == "2026-10-01T08:00:00+00:00"  # a version keeps its first fetch


def test_pivot_first_and_last_seen(filled):
    filled.add_pages(pages("2026-12-01T00:00:00Z")[:1])
    filled.commit()
    pivot = filled.pivot(BTC)
    assert pivot.types == ["BTC"]
    assert {(p.key, p.first_seen, p.last_seen) for p in pivot.pages} == {
        (f"http://{A}/", "2026-11-21T10:00:00+00:00", "2026-12-01T00:00:00+00:00"),
        (f"http://{B}/", "2026-10-01T08:00:00+00:00", "2026-10-01T08:00:00+00:00"),
    }
    assert [s.key for s in pivot.sites] == [B, A]
    assert [(v.key, v.site) for v in pivot.vendors] == [("seoulman", A)]
    assert (pivot.first_seen, pivot.last_seen) == ("2026-10-01T08:00:00+00:00", "2026-12-01T00:00:00+00:00")
    assert filled.pivot("nothing-like-this").pages == []


def test_snippet_highlight_and_facets(filled):
    result = filled.search(SearchQuery(text="던지기"))
    assert result.total == 1
    assert "던지기" in result.hits[0].snippet
    assert ("던지기", True) in result.hits[0].segments()
    assert "".join(text for text, _ in result.hits[0].segments()) == result.hits[0].snippet
    facets = filled.search(SearchQuery()).facets
    assert facets["site"] == {A: 2, B: 2}
    assert facets["entity_type"] == {"BTC": 2, "telegram": 1}
    assert facets["currency"] == {"USD": 1, "KRW": 1}
    assert filled.search(SearchQuery(text="escrow")).facets["site"] == {A: 1, B: 1}


def test_crawled_markup_is_never_a_highlight(index):
    text = "Genuine offer. <mark>evil</mark> is not a match, <b>nor</b> this"
    index.add_pages([page(A, "/fake", "fake marks", text)])
    index.commit()
    [hit] = index.search(SearchQuery(text="offer")).hits
    assert "<mark>evil</mark>" in hit.snippet  # the crawled text, as it is
    assert [piece for piece, matched in hit.segments() if matched] == ["offer"]
    assert [hit.snippet[start:end] for start, end in hit.matches] == ["offer"]


def test_get_returns_the_record(filled):
    record = filled.get(f"http://{A}/ko")
    assert record["text"] == "아이스를 팝니다. 텔레그램 문의. 던지기 가능"
    assert record["entities"][0]["value"] == "icekorea"
    assert filled.get("http://nowhere.onion/") is None


@pytest.mark.parametrize("query", ['"unclosed', "AND OR NOT", "title:(", "*", "a" * 5000, "\x00<script>", "-only"])
def test_hostile_queries_do_not_raise(filled, query):
    filled.search(SearchQuery(text=query))


def test_pagination_at_any_depth(filled):
    first = filled.search(SearchQuery(limit=2))
    second = filled.search(SearchQuery(limit=2, offset=2))
    assert first.total == second.total == 4
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    one_by_one = [filled.search(SearchQuery(text="", limit=1, offset=n)).hits for n in range(5)]
    assert [len(h) for h in one_by_one] == [1, 1, 1, 1, 0]
    assert {h[0].url for h in one_by_one[:4]} == ALL


def test_a_word_naming_a_drug_matches_its_spelling_or_its_tag(filled):
    meth = (("필로폰", "methamphetamine"),)
    assert hits(filled, text="필로폰") == set()
    assert hits(filled, text="필로폰", word_tags=meth) == {f"http://{A}/ko"}
    assert hits(filled, text="필로폰 던지기", word_tags=meth) == {f"http://{A}/ko"}  # other words still count
    assert hits(filled, text="필로폰 escrow", word_tags=meth) == set()
    assert hits(filled, text="escrow -필로폰", word_tags=meth) == {f"http://{A}/", f"http://{B}/"}
