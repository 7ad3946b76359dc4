"""Korean drug-ad boards: real slang (아이스, 작대기, 떨, 캔디…) with sale cues (팝니다, 텔레그램 문의, 던지기,
prices in 만원), telegram handles and phone numbers; the pages a Korean analyst searches for.
"""

from __future__ import annotations

from dataclasses import dataclass

from sample_darknet import entities as ent
from sample_darknet.doc import Doc, esc
from sample_darknet.model import Listing, Site, VendorView
from sample_darknet.sites.context import BuildContext


@dataclass(frozen=True)
class Ad:
    title: str
    text: str  # {contact} is replaced by the contact markup
    terms: tuple[str, ...]
    drug: str
    category: str
    man_won: int  # price in 만원 (10,000 KRW)
    unit: str
    region: str
    contact: str  # "@handle", "t.me/handle" or a phone number
    coin: str = ""  # an address kind the ad asks payment in


BOARDS: dict[str, tuple[Ad, ...]] = {
    "ko-ads-ice": (
        Ad(
            "아이스 팝니다 💎 당일 던지기",
            "아이스 1g {price} / 던지기 서울·경기 당일 가능. 텔레그램 문의 {contact}",
            ("아이스", "팝니다", "던지기", "텔레그램 문의"),
            "methamphetamine",
            "stimulants",
            35,
            "1g",
            "서울",
            "@seoul_ice24",
            "btc_p2wpkh",
        ),
        Ad(
            "#시원한술 있습니다",
            "시원한 술 작대기 2개 {price}. 좌표 바로 드림. 텔레 {contact}",
            ("시원한 술", "작대기", "좌표"),
            "methamphetamine",
            "stimulants",
            60,
            "2개",
            "인천",
            "t.me/cold_drink_kr",
        ),
        Ad(
            "떨 팝니다 (부산)",
            "떨 3.5g {price}, 부산 던지기, 문의 {contact}",
            ("떨", "팝니다"),
            "cannabis",
            "cannabis",
            15,
            "3.5g",
            "부산",
            "010-7742-3381",
        ),
    ),
    "ko-ads-candy": (
        Ad(
            "캔디 10정 특가",
            "캔디(사탕) 10정 {price} 대량 할인. 텔레그램 문의 {contact} 모네로 결제",
            ("캔디", "사탕", "텔레그램 문의"),
            "mdma",
            "ecstasy",
            40,
            "10정",
            "서울",
            "@candy_shop_kr",
            "xmr_standard",
        ),
        Ad(
            "엠페러 입고",
            "엠페러(합성대마) 1g {price} 전국 던지기. 연락 {contact}",
            ("엠페러", "던지기"),
            "synthetic_cannabinoid",
            "cannabis",
            25,
            "1g",
            "대구",
            "@emperor_kr",
        ),
        Ad(
            "물뽕 팝니다",
            "물뽕 10ml {price} 퀵 가능. 텔레그램 {contact}",
            ("물뽕", "팝니다"),
            "ghb",
            "dissociatives",
            30,
            "10ml",
            "서울",
            "t.me/water_kr_bot",
        ),
    ),
    "ko-ads-drop": (
        Ad(
            "던지기 드랍퍼 구인",
            "아이스 던지기 드랍퍼 구합니다. 건당 {price}. 텔레그램 문의 {contact}",
            ("드랍퍼", "던지기", "텔레그램 문의"),
            "methamphetamine",
            "stimulants",
            5,
            "건당",
            "수도권",
            "@drop_job_kr",
            "trx",
        ),
        Ad(
            "엘 블로터 5장",
            "엘 5장 {price}, 좌표 전송. 연락처 {contact}",
            ("엘", "좌표"),
            "lsd",
            "psychedelics",
            35,
            "5장",
            "광주",
            "010-3391-0457",
        ),
    ),
}


def build_korean_ads(ctx: BuildContext, site: Site) -> None:
    ads = BOARDS[site.site_id]
    doc = Doc(site.base, "/", "ko")
    rows = [f"<li>{doc.a(f'/post/{n}', ad.title)}</li>" for n, ad in enumerate(ads, 1)]
    site.add(doc.finish(site.note, f"<h1>{doc.term(site.note)}</h1><ul>{''.join(rows)}</ul>"))
    for n, ad in enumerate(ads, 1):
        doc = Doc(site.base, f"/post/{n}", "ko")
        price = f"{ad.man_won}만원"
        handle = ad.contact.lstrip("@").removeprefix("t.me/")
        contact = (
            ent.phone(doc, ad.contact)
            if ad.contact[0].isdigit()
            else ent.telegram(doc, handle, as_link=ad.contact.startswith("t.me/"), label="")
        )
        for term in ad.terms:
            doc.term(term)
        text = esc(ad.text).replace("{price}", price).replace("{contact}", contact)
        payout = ctx.address(site, ad.coin, str(n)) if ad.coin else None
        pay = ent.address(doc, payout, "text", "입금 주소:") if payout else ""
        # The seller is known by the contact alone: one vendor view a post, with the address it asks for.
        doc.vendor(
            VendorView(
                handle,
                handle,
                doc.url,
                "",
                ((payout.type, payout.value),) if payout else (),
                tuple(dict.fromkeys((e.type, e.value) for e in doc.page.entities if e.type in ("telegram", "phone"))),
            )
        )
        doc.listing(
            Listing(
                ad.title,
                float(ad.man_won * 10000),
                "KRW",
                price,
                ad.unit,
                handle,
                ad.category,
                ad.drug,
                ad.region,
                ad.region,
                doc.url,
            )
        )
        body = f"<h1>{doc.term(ad.title)}</h1><p>{text}</p><p>{pay}</p><p>{doc.a('/', '목록')}</p>"
        site.add(doc.finish(ad.title, body))
