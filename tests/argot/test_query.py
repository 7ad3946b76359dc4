"""Search by meaning: drug names, slang and tags map to the drug tag; `drug:` in the search box filters by it."""

from __future__ import annotations

import pytest

from oniondex.argot.query import drug_tag, word_tags
from oniondex.index import SearchQuery
from oniondex.index.embedded import EmbeddedIndex
from web.query import parse

SITE = "d" * 52 + "dddd.onion"


@pytest.mark.parametrize("word", ["필로폰", "methamphetamine", "아이스", "아.이.스", "Meth", "작대기", "pilopon"])
def test_names_and_slang_map_to_the_drug(word: str) -> None:
    assert drug_tag(word) == "methamphetamine"


def test_unknown_words_and_dead_drop_words_map_to_nothing() -> None:
    assert drug_tag("날씨") is None
    assert drug_tag("던지기") is None  # a delivery method, not a drug


def test_word_tags_name_each_plain_drug_word_and_skip_exclusions_and_quotes() -> None:
    assert word_tags('필로폰 OR ecstasy -떨 NOT 대마 "작대기" 서울 아.이.스') == (
        ("필로폰", "methamphetamine"),
        ("ecstasy", "mdma"),
        ("아 이 스", "methamphetamine"),  # as the index parses the query: the dots split it
    )


def test_drug_operator_becomes_a_tag_filter() -> None:
    assert parse("drug:필로폰 서울").query.tags == ("methamphetamine",)
    assert parse("drug:methamphetamine").query.tags == ("methamphetamine",)
    assert parse("drug:zzz").ignored == ("drug:zzz (not a drug name or slang word the term list knows)",)


def _page(path: str, text: str, tags: list[str]) -> dict[str, object]:
    url = f"http://{SITE}{path}"
    return {"id": url, "url": url, "site": SITE, "title": path, "text": text, "language": "ko",
            "fetched_at": "2026-11-21T10:00:00+00:00", "sha256": f"sha-{path}", "tags": tags}  # fmt: skip


def test_a_drug_name_finds_sale_pages_written_in_slang(tmp_path) -> None:
    from oniondex.tagging import tag_text

    texts = {
        "/slang": "아○○ 1g 20만 텔 @frost_k 좌표 전송",
        "/jamo": "ㅇㅏㅇㅣㅅㅡ 0.5g 12만 텔레그램 @ice_k",
        "/cafe": "아이스 아메리카노 4,000원 카페 주문 텔레그램 @cafe_x",
    }
    index = EmbeddedIndex(tmp_path / "index")
    try:
        index.add_pages([_page(path, text, tag_text(text)) for path, text in texts.items()])
        index.commit()
        found = index.search(parse("drug:필로폰").query)
        assert {hit.url.rsplit("/", 1)[1] for hit in found.hits} == {"slang", "jamo"}
        assert index.search(SearchQuery(text="필로폰")).total == 0  # no page spells it: the tag is what finds them
        plain = index.search(parse("필로폰").query)  # the search box expands a plain drug word to its tag
        assert {hit.url.rsplit("/", 1)[1] for hit in plain.hits} == {"slang", "jamo"}
        assert index.search(parse('"필로폰"').query).total == 0  # quoted: the spelling only
    finally:
        index.close()
