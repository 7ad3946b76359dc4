"""The sale decision: disguised ads are tagged with their drug, everyday uses of the same words are not,
news is a topic, and every tag shows what fired."""

from __future__ import annotations

import re

import pytest

from oniondex.argot import classify as classify_module
from oniondex.argot.match import wildcard_hits
from oniondex.tagging import NEWS_TAG, classify, current_terms, tag_text

DISGUISED_ADS = [
    ("아○○ 1g 20만 텔 @frost_k 좌표", "methamphetamine"),  # masked syllables
    ("작ㅁ기 1회분 9만원 텔레그램 @stick_k", "methamphetamine"),  # ㅁ as a mask
    ("ㅍㄹㅍ 1g 20만원 텔레그램 @ppp_k", "methamphetamine"),  # consonant-only
    ("ㅇㅏㅇㅣㅅㅡ 0.5g 12만 텔레 @ice_k", "methamphetamine"),
    ("대_마 3g 15만 텔 @green_k", "cannabis"),
    ("엑○○시 10정 35만 텔 @x_party_k", "mdma"),
    ("❄️ 1g 23만 ❄️ 던지기 텔레그램 @snow_k", "methamphetamine"),  # emoji stand-in
    ("pilopon 1g 22만 텔레그램 hiro_kr 좌표거래", "methamphetamine"),  # transliteration
    ("m.d.m.a caps 10 for $80, telegram @rolls_x", "mdma"),
    ("4 2 0 plug, zips $150, telegram @loud_x", "cannabis"),
    ("c0ke 1g 80 usd, tg @flake_b", "cocaine"),  # leetspeak
    ("c*caine 1g 70 EUR, telegram @blanche_p", "cocaine"),
]
HARD_NEGATIVES = [
    "리니지 크리스탈 충전 1만 크리스탈 9,000원. 텔레그램 @game_charge 문의",
    "말티즈 몰리(Molly) 분양합니다. 2차 접종 완료. 분양가 80만원. 카톡 molly_mom",
    "유소년 야구교실 바른 던지기 자세 주 2회 월 12만원 상담 010-2345-6789",
    "카페 오시는 길 좌표 37.5665, 126.9780. 아이스 아메리카노 4,000원. 단체 주문 텔레그램 @cafe_x",
    "Molly is a 10 week old puppy, vaccinated. Rehoming fee $650. Text 555-0134.",
    "Crystal top-up for Legends Arena, 5000 crystals $9.99. Contact @arena_topup on Telegram.",
    "Kids' baseball pitching clinic, throwing mechanics, 6 weeks $120.",
    "아○○ 님 반갑습니다 ○○ 카페 모임",  # masks without any trade context
    "def snake_case_lower(): return price * 2  # $5",
]


@pytest.mark.parametrize(("text", "drug"), DISGUISED_ADS)
def test_disguised_ads_are_tagged_with_their_drug(text: str, drug: str) -> None:
    assert drug in tag_text(text)


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_the_same_words_in_everyday_trade_are_not_tagged(text: str) -> None:
    assert tag_text(text) == []


def test_a_price_and_a_handle_do_not_make_an_everyday_word_a_sale() -> None:
    assert tag_text("아이스 판매 5,000원 텔레그램 @shop_k") == []
    assert tag_text("아이스 1g 5만원 텔레그램 @shop_k") == ["methamphetamine"]  # a dose right after it


def test_news_is_a_topic_not_a_sale() -> None:
    news = "텔레그램으로 필로폰을 판매한 20대가 경찰에 구속됐다. 경찰은 필로폰 500g을 압수했다고 밝혔다."
    assert tag_text(news) == [NEWS_TAG]
    assert tag_text("Police arrested two men after seizing 3kg of methamphetamine, prosecutors said.") == [NEWS_TAG]


def test_evidence_names_what_fired_with_offsets_into_the_original() -> None:
    text = "급처 ㅇㅏㅇㅣㅅㅡ 1g 25만 텔레 @ice_k_seoul"
    result = classify(text)
    assert result.tags == ("methamphetamine",)
    (decision,) = result.decisions
    kinds = {e.kind: e for e in decision.evidence}
    assert {"term", "disguise", "dose", "price", "messenger"} <= set(kinds)
    assert text[kinds["term"].start : kinds["term"].end] == "ㅇㅏㅇㅣㅅㅡ" == kinds["term"].text
    assert "아이스" in kinds["term"].note
    assert kinds["disguise"].note == "spelled"
    assert decision.score == pytest.approx(sum(e.weight for e in decision.evidence))


def test_negative_context_is_evidence_against() -> None:
    result = classify("크리스탈 1g 5만원 텔레그램 @x_store 게임 충전")
    assert result.tags == ()


def test_a_unit_word_beside_another_named_drug_counts_that_drugs_pills() -> None:
    # "tabs" alone can be LSD, but here it is the unit of the MDMA dose, and a term's own text ("10 tabs"
    # holds "tabs") is no sign for the term.
    assert tag_text("XTC pills 20 tabs €150, escrow ok, Telegram @rolls_nl") == ["mdma"]
    assert "lsd" in tag_text("Blotter tabs 10 tabs $90, escrow ok, Telegram @paper_nl")


@pytest.mark.parametrize(
    "token",
    [
        "4AbcDeFgHbars7Kq9LmNoPq",  # an everyday drug word inside a wallet-like token, digits around it
        "bc1qx9k2mzp0w8vr3t",  # a two-character slang word between digits
        "x8xanax3z",  # an explicit name glued to letters and digits
    ],
)
def test_latin_terms_need_alphanumeric_word_boundaries(token: str) -> None:
    text = f"대마 5g 20만원 텔레그램 @green_seoul 문의 송금주소 {token}"
    assert tag_text(text) == ["cannabis"]


def test_a_dose_inside_a_latin_token_is_no_dose() -> None:
    ev = classify("Weed 3.5g $40 telegram @leaf_x ref A1bars9").decisions[0].evidence
    assert [e.text for e in ev if e.kind == "dose"] == ["3.5g"]


def test_a_region_makes_a_dead_drop_word_specific() -> None:
    assert tag_text("오늘 좌표 공유 (울산) 12건, 문의 텔레그램 @stash_u") == ["dead_drop"]
    decision = classify("오늘 좌표 공유 (울산) 12건, 문의 텔레그램 @stash_u").decisions[0]
    assert ("region", "울산") in {(e.kind, e.text) for e in decision.evidence}
    # the same words without a place, or a place with everyday trade (a café's location), stay innocent
    assert tag_text("오늘 좌표 공유 12건, 문의 텔레그램 @stash_u") == []
    assert tag_text("울산 카페 오시는 길 좌표 공유, 아메리카노 4,000원, 문의 텔레그램 @cafe_u") == []
    # a region never names a drug: an everyday drug word with a price and a handle stays innocent
    assert tag_text("울산 크리스탈 충전 9,000원 텔레그램 @topup_u 문의") == []


def test_masked_words_in_text_without_hangul_are_found_as_in_any_text() -> None:
    """Text without Hangul takes a shorter way to masked words (only a Latin mask can stand in a word
    there): the same hits as with a Hangul syllable elsewhere on the page."""
    terms = current_terms()
    for text in ("c*caine 1g, c*ke $50 why? snake_case m_d_m_a", "k●tamine and her*in é", "no mask here? _x_"):
        latin_hits = [(h.term.text, h.start, h.end) for h in wildcard_hits(text, terms)]
        other = [(h.term.text, h.start, h.end) for h in wildcard_hits(text + " 가", terms)]
        assert latin_hits == other, text
    assert [h.term.text for h in wildcard_hits("c*caine 1g", terms)] == ["cocaine"]


def test_every_place_of_a_repeated_masked_word_is_a_hit() -> None:
    """A page's masked words are decoded once each: every place the word is written still counts."""
    terms = current_terms()
    text = "c*caine 1g ** c*caine 5g ★ 아○○ 팝니다 아○○"
    hits = [(h.term.text, text[h.start : h.end]) for h in wildcard_hits(text, terms)]
    assert hits.count(("cocaine", "c*caine")) == 2
    assert len([h for h in hits if h[1] == "아○○"]) == 2
    # words with too few known letters to be a Latin disguise stay no hit, as before
    assert wildcard_hits("*hq* do* ** sale*", terms) == []


def test_leetspeak_beside_address_long_tokens_is_found() -> None:
    """Tokens no term is as long as (a Bitcoin address full of digits) are skipped, the words around them are
    still read."""
    address = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
    assert "methamphetamine" in tag_text(f"m3th 1g {address} $40, telegram @leet_shop")
    assert tag_text(f"{address} {address}") == []


@pytest.mark.parametrize(
    ("word", "term"), [("**caine", "cocaine"), ("co**ine", "cocaine"), ("k*tamin*", "ketamine"), ("○이스", "아이스")]
)
def test_a_masked_word_is_read_from_any_known_letter(word: str, term: str) -> None:
    """Masks may stand anywhere in the word, also before its first known letter."""
    assert [h.term.text for h in wildcard_hits(f"{word} 1g", current_terms())] == [term]


def test_every_category_is_decided_on_its_own_hits() -> None:
    """Hits are grouped by drug before scoring: each drug's tag comes from its own best hit and context, and an
    everyday word counts as specific when another drug is named on the page."""
    result = classify("cocaine 1g $80 telegram @shop_a\n\n" + "x" * 500 + "\n\nketamine 5g €40 wickr: shop_b")
    assert result.tags == ("cocaine", "ketamine")
    evidence = {d.tag: {e.text for e in d.evidence} for d in result.decisions}
    assert "cocaine" in evidence["cocaine"]
    assert "ketamine" not in evidence["cocaine"]
    assert "ketamine" in evidence["ketamine"]
    assert "@shop_a" not in evidence["ketamine"]


UNIT_TEXT = "1µg 2 mcg 3 руб 4руб 5 € 6€ 7$ 8 usdt 9eur 10 euros 3만 4천 5만원 반g half oz full 8th 10tabs 3 pills x9 z"


@pytest.mark.parametrize("units", [classify_module._CURRENCY_UNITS, classify_module._DOSE_UNITS, ["tabs", "pills"]])
def test_a_unit_alternation_behind_its_first_characters_matches_as_the_bare_alternation(units: list[str]) -> None:
    guarded = re.compile(rf"\d\s?{classify_module._units(units)}")
    bare = re.compile(rf"\d\s?(?:{'|'.join(units)})")
    found = [m.span() for m in guarded.finditer(UNIT_TEXT)]
    assert found == [m.span() for m in bare.finditer(UNIT_TEXT)]
    assert found


@pytest.mark.parametrize("pattern", ["_PRICE_RE", "_DOSE_RE"])
def test_signal_patterns_match_as_written_plainly(pattern: str) -> None:
    # Their opening class spells \d out as ranges (and takes any astral character, for \d to decide), and a
    # price's number is taken whole ({0,12}+): a digit outside 0-9, in or beyond the Basic Multilingual Plane,
    # still opens a dose or a price, an emoji does not, and long or spaced numbers end where they did.
    compiled = getattr(classify_module, pattern)
    plain = re.compile(compiled.pattern.replace(classify_module._DIGIT_OPENING, r"\d").replace("}+", "}"))
    assert plain.pattern != compiled.pattern
    texts = ["٣g", "३ tabs", "\U00011067g", "\U00011067 usd", "𝟑 g", "💊g", "💊 usd", "x 5g", "5 usd", "18th"]
    texts += ["per 3.5 grams", "1 000 000 000 000 usd", "12 , . 5 €", "1.2.3.4.5.6.7.8 usd", "3 5 \n$", "20만 원"]
    for text in texts:
        assert [m.span() for m in compiled.finditer(text)] == [m.span() for m in plain.finditer(text)], text
    assert classify_module._DOSE_RE.search("\U00011067g")
    assert not classify_module._DOSE_RE.search("💊g")
