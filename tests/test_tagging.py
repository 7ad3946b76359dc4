from __future__ import annotations

import os
from pathlib import Path

import pytest

from oniondex.tagging import TERMS_ENV, TermListError, current_terms, load_terms, tag_text

DRUG_ADS = [
    ("아이스 1g 고순도 15만원 텔레그램 @iceking_kr", ["methamphetamine"]),
    ("작대기 5g 세트 문의 주세요", ["methamphetamine"]),
    ("#시원한 술 팝니다 텔레 seoul_supply", ["methamphetamine"]),
    ("떨 3.5g (OG쿠시) 12만원, 던지기 가능", ["cannabis", "dead_drop"]),
    ("대마 판매합니다", ["cannabis"]),
    ("캔디 10정 (테슬라) 문의 @candy_kr", ["mdma"]),
    ("사탕 10정 있어요 가격 문의", ["mdma"]),
    ("물뽕 팝니다 텔레그램", ["ghb"]),
    # A dead-drop word with only a contact is no longer enough (a café's map location has both): with a drug.
    ("좌표 찍어드립니다 아이스 1g 텔레그램 문의", ["dead_drop", "methamphetamine"]),
    ("Crystal Meth 92% shards - $90.00 per gram, ships from NL", ["methamphetamine"]),
    ("MDMA pills Tesla 250mg, escrow accepted", ["mdma"]),
    ("Кокаин 1г, цена 9500 руб., закладки по Москве", ["cocaine", "dead_drop"]),
]
# Ordinary pages full of the same everyday words, with prices and "문의" but nothing for sale that is a drug.
ORDINARY = [
    "아이스 아메리카노 4,500원, 아이스 라떼 5,000원 — 단체 주문은 매장에 문의해 주세요.",
    "여름 한정 아이스크림 케이크 판매! 가격 25,000원, 배송 가능합니다.",
    "얼음이 녹기 전에 드세요. 얼음 컵 1,000원 추가.",
    "어린이날 사탕 선물 세트 판매합니다. 가격 12,000원 문의 환영",
    "캔디크러쉬 공략 모음, 레벨 350 클리어 방법",
    "손이 떨리는 증상이 있으면 병원에 문의하세요. 진료비 15,000원",
    "엘리베이터 점검 안내: 문의는 관리사무소로 (02-123-4567)",
    "Ice hockey tickets for sale, $45 each, contact the box office.",
    "Dry ice shipping available for frozen food orders, price on request.",
    "The hash function maps data to a fixed-size value; the hash rate is 90 TH/s, price $2,100.",
    "Crystal clear audio, buy now for $99 with free shipping.",
    "시원한 술 한잔 생각나는 밤, 맥주 안주 맛집 추천",
    "A history of cocaine in 19th-century medicine.",
    "수제 사탕 만들기: 설탕 100g, 물 50ml, 물엿 30g을 넣고 끓입니다.",
    "아이스박스 대여 문의 010-1234-5678, 1일 5,000원",
]


@pytest.mark.parametrize(("text", "expected"), DRUG_ADS)
def test_drug_ads_are_tagged(text: str, expected: list[str]) -> None:
    assert tag_text(text) == expected


def test_false_tag_rate_on_ordinary_pages_is_zero() -> None:
    falsely_tagged = {text: tag_text(text) for text in ORDINARY if tag_text(text)}
    assert falsely_tagged == {}, f"{len(falsely_tagged)}/{len(ORDINARY)} ordinary pages tagged"


def test_terms_without_a_sale_cue_do_not_tag() -> None:
    assert tag_text("아이스 작대기 캔디 떨") == []


def test_ambiguous_term_needs_a_nearby_cue() -> None:
    far = "아이스 " + "날씨 " * 200 + "문의"
    assert tag_text(far) == []


def test_term_list_can_be_overridden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    terms = tmp_path / "terms.tsv"
    terms.write_text("# test list\n새말\tmethamphetamine\tprefix\tslang\tcase\n팝니다\tsale_cue\tsubstring\t-\tx\n")
    monkeypatch.setenv(TERMS_ENV, str(terms))
    assert tag_text("새말 1g 팝니다") == ["methamphetamine"]
    assert tag_text("아이스 1g 팝니다") == []


def test_a_malformed_line_is_reported_with_its_place(tmp_path: Path) -> None:
    terms = tmp_path / "terms.tsv"
    terms.write_text("아이스\tmethamphetamine\tsomewhere\n")
    with pytest.raises(TermListError, match=r"terms\.tsv:1"):
        load_terms(terms)


def test_shipped_list_loads_and_covers_the_issue_examples() -> None:
    by_text = current_terms().by_text
    examples = {"아이스": "methamphetamine", "작대기": "methamphetamine", "얼음": "methamphetamine",
                "시원한 술": "methamphetamine", "떨": "cannabis", "대마": "cannabis", "캔디": "mdma",
                "사탕": "mdma", "물뽕": "ghb", "던지기": "dead_drop", "좌표": "dead_drop"}  # fmt: skip
    assert {term: by_text[term].category for term in examples} == examples


def test_an_edited_term_list_is_used_at_once_even_with_the_same_mtime(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terms = tmp_path / "terms.tsv"
    terms.write_text("새말\tmethamphetamine\tprefix\tslang\tcase\n팝니다\tsale_cue\tsubstring\t-\tx\n")
    monkeypatch.setenv(TERMS_ENV, str(terms))
    assert tag_text("새말 1g 팝니다") == ["methamphetamine"]
    mtime = terms.stat().st_mtime_ns
    terms.write_text("# edited\n새말\tmethamphetamine\tprefix\tslang\tcase\n헌말\tcocaine\tprefix\tslang\tcase\n")
    os.utime(terms, ns=(mtime, mtime))  # an edit within the file system's clock tick
    assert tag_text("새말 1g 팝니다") == []
    assert tag_text("헌말 1g 팝니다") == []  # a new term, but no sale cue any more
