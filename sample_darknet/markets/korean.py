"""Layout "korean": a Korean-language market of <article> blocks, Korean labels, prices in 원/만원."""

from __future__ import annotations

from typing import ClassVar

from sample_darknet.doc import Doc, esc
from sample_darknet.markets.layout import Layout
from sample_darknet.model import Listing

_PLACES = {
    "South Korea": "한국",
    "Worldwide": "전세계",
    "United States": "미국",
    "Netherlands": "네덜란드",
    "EU": "유럽",
    "Germany": "독일",
    "Spain": "스페인",
    "United Kingdom": "영국",
    "India": "인도",
}


class KoreanLayout(Layout):
    name = "korean"
    lang = "ko"
    currency = "KRW"
    price_styles = ("man", "word", "symbol")
    search_terms = ("아이스", "10정", "떨", "1g")
    labels: ClassVar[dict[str, str]] = {
        "price": "가격",
        "vendor": "판매자",
        "category": "분류",
        "ships_from": "발송지",
        "ships_to": "배송지역",
        "unit": "단위",
        "contact": "연락처",
        "payout": "입금 주소",
        "listings": "판매 목록",
        "search": "검색 결과",
        "home": "추천 상품",
    }
    routes: ClassVar[dict[str, str]] = {
        "listing": "/goods/{id}",
        "vendor": "/seller/{name}",
        "category": "/board/{slug}",
        "search": "/goods/search?keyword={q}",
    }

    def title_of(self, product_title: str, product_title_ko: str) -> str:
        return product_title_ko

    def unit_of(self, unit: str, unit_ko: str) -> str:
        return unit_ko

    def place(self, place: str) -> str:
        return _PLACES.get(place, place)

    def summary(self, doc: Doc, item: Listing, title_link: str, vendor_link: str) -> str:
        return (
            f'<article class="goods"><h2>{title_link}</h2><p><em>{esc(item.price_text)}</em> / {esc(item.unit)}</p>'
            f"<p>판매자 {vendor_link} | {esc(item.ships_from)} → {esc(item.ships_to)}</p></article>"
        )

    def fields(self, pairs: list[tuple[str, str]]) -> str:
        return "".join(f'<p class="f"><strong>{esc(k)}</strong> {v}</p>' for k, v in pairs)
