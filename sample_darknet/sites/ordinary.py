"""Ordinary pages that use the everyday meaning of slang words (아이스크림, 캔디, 작대기, ice, candy)
with no sale context at all: any drug tag on them is a false positive.
"""

from __future__ import annotations

from sample_darknet.doc import Doc
from sample_darknet.model import Site
from sample_darknet.sites.context import BuildContext

# site_id -> pages: path -> (title, paragraphs); every paragraph is recorded as a known term.
PAGES: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "ordinary-ko-cafe": {
        "/": (
            "달콤한 디저트 일기",
            ("오늘은 녹차 아이스크림을 만들었어요.", "아이스 아메리카노 한 잔과 함께 먹으니 최고!"),
        ),
        "/candy": (
            "수제 캔디 만들기",
            ("아이들이 좋아하는 캔디와 사탕을 집에서 만들어 봤어요.", "설탕을 녹여 모양 틀에 부으면 끝."),
        ),
        "/summer": ("여름 저녁", ("퇴근 후 친구와 시원한 술 한잔이 생각나는 날씨예요.", "수박도 시원하게 먹었어요.")),
    },
    "ordinary-ko-winter": {
        "/": (
            "겨울 얼음낚시 여행기",
            ("강원도 화천에서 얼음낚시를 했어요.", "나무 작대기로 얼음 두께를 먼저 확인했습니다."),
        ),
        "/rink": ("동네 아이스링크", ("주말마다 아이스링크에서 스케이트를 탑니다.", "아이스하키 동호회도 있어요.")),
    },
    "ordinary-en-hockey": {
        "/": ("Riverside Ice Hockey Club", ("Ice time this week: Tuesday and Friday.", "Bring your own stick.")),
        "/snacks": ("Rink snacks", ("The rink shop has ice cream and candy bars.", "Hot chocolate is free for kids.")),
    },
    "ordinary-en-kitchen": {
        "/": (
            "Grandma's Kitchen",
            ("Rock candy grows crystals on a string in a week.", "Crystal clear ice needs boiled water."),
        ),
        "/snow": ("Snow day treats", ("Snow cones: shaved ice with syrup.", "Candy canes melted into cocoa.")),
    },
}


def build_ordinary(ctx: BuildContext, site: Site) -> None:
    pages = PAGES[site.site_id]
    for path, (title, paragraphs) in pages.items():
        doc = Doc(site.base, path, site.language)
        nav = " · ".join(doc.a(other, pages[other][0]) for other in pages if other != path)
        text = "".join(f"<p>{doc.term(p)}</p>" for p in paragraphs)
        site.add(doc.finish(title, f"<h1>{doc.term(title)}</h1>{text}<nav>{nav}</nav>"))
