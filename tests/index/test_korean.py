"""Korean search by word, not only by bigram (issue 17, item 4): inflected forms are found, a word found
only inside an unrelated longer word ranks below the real matches."""

import pytest

from oniondex.index import SearchQuery
from oniondex.index.embedded import EmbeddedIndex
from oniondex.index.korean import stem_field, stems

SITE = "k" * 52 + "kkkd.onion"
TEXTS = {
    "/object": "던지기를 합니다. 좌표는 텔레그램으로",  # 던지기 + object particle
    "/means": "오늘 던지기로 보냅니다",  # 던지기 + instrumental particle
    "/verb": "지정 장소에 던집니다",  # the verb, conjugated
    "/sports": "어린이 공던지기대회 참가 신청",  # 던지기 only inside a longer word
    "/ice": "아이스를 팝니다 문의 주세요",
    "/cream": "아이스크림 가게 신메뉴 안내",  # 아이스 only inside 아이스크림 (ice cream)
}


def test_stems_drop_particles_and_endings_and_keep_compounds():
    assert stems("던지기를 던지기로 던지기 아이스를 필로폰을") == ["던지기", "던지기", "던지기", "아이스", "필로폰"]
    assert stems("던집니다 던지고") == ["던지다", "던지다"]  # verbs as their dictionary form
    assert stems("아이스크림 공던지기대회") == ["아이스크림", "공던지기대회"]  # compounds whole
    assert stems("escrow only, no Hangul") == []
    assert stem_field("가" * 100) == "가" * 100  # a run-on longer than MAX_WORD is not analysed


@pytest.fixture(scope="module")
def korean(tmp_path_factory):
    index = EmbeddedIndex(tmp_path_factory.mktemp("korean") / "index")
    pages = []
    for path, text in TEXTS.items():
        url = f"http://{SITE}{path}"
        pages.append(
            {
                "id": url,
                "url": url,
                "site": SITE,
                "title": "",
                "text": text,
                "language": "ko",
                "fetched_at": "2026-11-21T10:00:00Z",
            }
        )
    index.add_pages(pages)
    index.commit()
    yield index
    index.close()


def ranked(index, text):
    return [hit.url.rsplit("/", 1)[1] for hit in index.search(SearchQuery(text=text)).hits]


def test_inflected_forms_are_found_and_rank_above_a_word_inside_another(korean):
    order = ranked(korean, "던지기")
    assert set(order[:2]) == {"object", "means"}
    assert order.index("sports") > max(order.index("object"), order.index("means"))


def test_an_inflected_query_finds_the_other_inflections(korean):
    assert {"object", "means"} <= set(ranked(korean, "던지기로"))  # 던지기로 → 던지기: also 던지기를
    assert "verb" in ranked(korean, "던지고")  # 던지고 → 던지다, as 던집니다


def test_ice_ranks_above_ice_cream(korean):
    assert ranked(korean, "아이스") == ["ice", "cream"]  # the bigram match stays, below the word match


def test_a_korean_phrase_matches_stems_in_order(korean):
    assert ranked(korean, '"던지기를 합니다"')[0] == "object"


def test_elasticsearch_gets_a_whole_word_nori_subfield_where_the_plugin_is():
    from oniondex.index import mappings

    with_nori = mappings.body("pages", frozenset({mappings.NORI}))
    analysis = with_nori["settings"]["analysis"]
    assert analysis["tokenizer"]["oniondex_nori_whole"]["decompound_mode"] == "none"
    for field in ("title", "text"):
        assert with_nori["mappings"]["properties"][field]["fields"]["nori"]["analyzer"] == "oniondex_nori"
    without = mappings.body("pages")
    assert "nori" not in without["mappings"]["properties"]["text"]["fields"]
    assert "tokenizer" not in without["settings"]["analysis"]
