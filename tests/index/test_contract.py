"""The behaviour every index backend owes `oniondex search`, the pipelines and the UI."""

import pytest

from oniondex.index import SearchQuery

A = "a" * 52 + "aaad.onion"
B = "b" * 52 + "bbbd.onion"


def page(site, path, title, text, **extra):
    url = f"http://{site}{path}"
    doc = {
        "id": url,
        "url": url,
        "site": site,
        "title": title,
        "text": text,
        "fetched_at": "2026-11-21T10:00:00+00:00",
        "language": "en",
    }
    doc.update(extra)
    return doc


@pytest.fixture
def filled(index):
    index.add_pages(
        [
            page(A, "/", "Escrow market", "Full escrow on every order. Ships worldwide.", tags=["market"]),
            page(
                A,
                "/ko",
                "광고",
                "아이스를 팝니다. 텔레그램 문의. 던지기 가능",
                language="ko",
                tags=["methamphetamine"],
                entities=[{"type": "telegram", "value": "icekorea"}],
            ),
            page(
                B,
                "/",
                "Forum",
                "We discuss escrows and ice cream.",
                entities=[{"type": "BTC", "value": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}],
            ),
            page(B, "/2", "아이스크림", "맛있는 아이스크림 가게", language="ko"),
        ]
    )
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


def test_phrase(filled):
    assert hits(filled, text='"full escrow"') == {f"http://{A}/"}


def test_filters(filled):
    assert hits(filled, text="escrow", site=B) == {f"http://{B}/"}
    assert hits(filled, language="ko") == {f"http://{A}/ko", f"http://{B}/2"}
    assert hits(filled, tags=("methamphetamine",)) == {f"http://{A}/ko"}
    assert hits(filled, entity="bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq") == {f"http://{B}/"}


def test_same_id_replaces(filled):
    filled.add_pages([page(A, "/", "Escrow market v2", "changed")])
    filled.commit()
    assert filled.count() == 4
    assert filled.get(f"http://{A}/")["title"] == "Escrow market v2"


def test_snippet_and_facets(filled):
    result = filled.search(SearchQuery(text="던지기"))
    assert result.total == 1
    assert "던지기" in result.hits[0].snippet
    assert filled.search(SearchQuery()).facets["site"] == {A: 2, B: 2}


@pytest.mark.parametrize("query", ['"unclosed', "AND OR NOT", "title:(", "*", "a" * 5000, "\x00<script>"])
def test_hostile_queries_do_not_raise(filled, query):
    filled.search(SearchQuery(text=query))


def test_pagination(filled):
    first = filled.search(SearchQuery(limit=2))
    second = filled.search(SearchQuery(limit=2, offset=2))
    assert first.total == second.total == 4
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
