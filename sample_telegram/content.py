"""Post texts per channel genre: Korean and English drug ads in slang, courier job ads, and innocent
channels that use the same everyday words (아이스 아메리카노, 아이스하키, 얼음) without any sale.

A template is a line-per-row string. `[b:…]` bold, `[e:…]` an emoji, `[l:URL|label]` a link, `#word` a
hashtag, `{name}` a value from the post's context. Each template names the drug-trade tags its text
should get; the entities come from the placeholders used (see world.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sample_telegram.model import Segment


@dataclass(frozen=True)
class Template:
    text: str
    tags: tuple[str, ...] = ()


T = Template
GENRES: dict[str, tuple[Template, ...]] = {
    "ko_ice": (
        T(
            "[e:💎] [b:아이스] 당일 던지기 가능\n{city} 1g {price}만원\n텔레그램 문의 @{handle}\n#아이스 #던지기",
            ("dead_drop", "methamphetamine"),
        ),
        T(
            "작대기 2개 {price}만원 좌표 바로 전송 ({city})\n결제 BTC {btc}\n텔레 @{handle}",
            ("dead_drop", "methamphetamine"),
        ),
        T(
            "오늘 재고 충분합니다 [e:🔥]\n아이스 0.5g {price}만원, {city} 던지기\n텔레그램 @{handle}",
            ("dead_drop", "methamphetamine"),
        ),
        T("공지: 오늘은 쉽니다. 내일 다시 인사드릴게요."),
    ),
    "ko_weed": (
        T("떨 3.5g {price}만원 [b:{city}] 던지기\n텔레그램 문의 @{handle}\nXMR {xmr}", ("cannabis", "dead_drop")),
        T("액상대마 카트리지 입고 1개 {price}만원\n텔레그램 @{handle} #액상", ("cannabis",)),
        T("[e:🌿] 이번 주 {city} 배송 마감되었습니다."),
    ),
    "ko_candy": (
        T("캔디 10정 {price}만원 대량 할인\n텔레그램 문의 @{handle}\n#캔디 #{city}", ("mdma",)),
        T("엑스터시 5알 {price}만원 판매\n연락 @{handle}", ("mdma",)),
    ),
    "ko_emperor": (
        T("엠페러 1g {price}만원 전국 던지기\n텔레그램 @{handle}", ("dead_drop", "synthetic_cannabinoid")),
        T(
            "[b:입고 안내] 엠페러 재고 있음, {city} 좌표 당일\n문의 텔레그램 @{handle}",
            ("dead_drop", "synthetic_cannabinoid"),
        ),
    ),
    "ko_job": (
        T(
            "[b:고액알바] 던지기 드랍퍼 구합니다 ({city})\n건당 {price}만원 당일 지급\n텔레그램 문의 @{handle}",
            ("dead_drop",),
        ),
        T("{city} 지역 배달 인원 모집, 경력 무관\n텔레그램 @{handle}"),
    ),
    "ko_vendor": (
        T(
            "[b:아이스] 1g {price}만원 / {city} 던지기\n텔레그램 문의 @{handle}\nBTC {payout}",
            ("dead_drop", "methamphetamine"),
        ),
        T("주문은 [l:http://{onion}/|{onion}] 에서도 가능합니다\n텔레그램 @{handle}", ()),
        T("떨 5g {price}만원 {city} 좌표\n연락처 {phone}", ("cannabis", "dead_drop")),
    ),
    "en_meth": (
        T("[e:❄️] Crystal meth 3.5g ${usd}, ships from {country}\nTelegram: @{handle}\nBTC {btc}", ("methamphetamine",)),
        T("Restock done. Ice 7g ${usd}\nDM @{handle} #restock", ("methamphetamine",)),
        T("Closed for the weekend, orders resume Monday."),
    ),
    "en_weed": (
        T("Fresh kush 7g ${usd}, DM @{handle}\nXMR only: {payout} #kush", ("cannabis",)),
        T("Cannabis edibles back in stock, ${usd} per pack\nTelegram @{handle}", ("cannabis",)),
    ),
    "en_mdma": (
        T("MDMA pills 10 tabs ${usd}, escrow ok\nETH {payout}\nTelegram @{handle}", ("mdma",)),
        T("New press: ecstasy 25 pills ${usd} [e:🍬]\nDM @{handle}", ("mdma",)),
    ),
    "en_pharma": (
        T("Oxycodone 30mg x10 ${usd}, shipping worldwide\nTelegram @{handle}", ("oxycodone",)),
        T("Order tracking is back online, thanks for waiting."),
    ),
    "ko_cafe": (
        T("오늘의 메뉴 [e:☕] 아이스 아메리카노 {won}원\n#카페 #{city}"),
        T("신메뉴 아이스 라떼 출시! {city}점에서 만나요"),
        T("주말 {city}점 영업시간 안내: 오전 9시부터"),
    ),
    "ko_weather": (
        T("[b:{city}] 오늘 최고 {temp}도, 도로 얼음 조심하세요 [e:🧊]"),
        T("{city} 내일 비 소식, 우산 챙기세요 #날씨"),
    ),
    "ko_kpop": (
        T("[b:속보] 컴백 무대 다음 주 공개 [e:🎤] #kpop"),
        T("{city} 팬미팅 티켓 오픈 안내 #팬미팅"),
    ),
    "ko_hockey": (
        T("아이스하키 리그 {city} 경기 결과 {score_a}:{score_b} #아이스하키"),
        T("이번 주말 아이스링크 {city} 대관 일정"),
    ),
    "ko_fishing": (
        T("{city} 앞바다 조황 좋습니다 [e:🎣] 감성돔 {count}마리"),
        T("다음 출조는 {city} 방파제입니다 #낚시"),
    ),
    "en_python": (
        T("Tip {count}: use [b:enumerate()] instead of range(len(x)) #python"),
        T("Read about dataclasses: [l:https://docs.python.org/3/library/dataclasses.html|docs.python.org] #python"),
    ),
    "en_news": (
        T("[b:{headline}]\nMore: [l:https://news.example.org/story/{count}|news.example.org/story/{count}]"),
        T("Markets close higher in {country} #markets"),
    ),
    "en_crypto": (
        T("BTC at ${btc_price} today, ETH ${eth_price}. Not financial advice. #crypto"),
        T("Weekly recap: volumes up {count}% #crypto"),
    ),
    "ko_coords": (
        T("좌표 공유 ({city}) 오늘 {count}건 [e:📍]\n문의 텔레그램 @{handle}", ("dead_drop",)),
        T("{city} 지역 정리 완료, 다음 공지 기다려 주세요"),
    ),
}
KO_CITIES = ("서울 강남", "서울 홍대", "부산 서면", "인천 부평", "대구 동성로", "광주", "대전", "수원", "제주")
EN_COUNTRIES = ("Netherlands", "Germany", "Canada", "Spain", "United Kingdom")
HEADLINES = ("Rates unchanged", "Storm hits the coast", "Election results in", "New bridge opens", "Rail strike ends")
_TOKEN_RE = re.compile(r"\[(b|e):([^\]]+)\]|\[l:([^|\]]+)\|([^\]]+)\]|(?<!\S)#([\w가-힣]+)")


def segments(line: str) -> list[Segment]:
    """A filled-in template line as segments (what the markup renders and the parser should read back)."""
    out: list[Segment] = []
    position = 0
    for match in _TOKEN_RE.finditer(line):
        if match.start() > position:
            out.append(Segment("text", line[position : match.start()]))
        if match.group(1):
            out.append(Segment("bold" if match.group(1) == "b" else "emoji", match.group(2)))
        elif match.group(3):
            out.append(Segment("link", match.group(4), match.group(3)))
        else:
            out.append(Segment("hashtag", "#" + match.group(5)))
        position = match.end()
    if position < len(line):
        out.append(Segment("text", line[position:]))
    return out
