"""Every site of the world: id, kind, status, language, seed-list tags, and the function that builds it.

The site_id (not the order) fixes each onion name, so adding a site never renames another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sample_darknet.markets.build import MarketPlan
from sample_darknet.markets.bullets import BulletsLayout
from sample_darknet.markets.cards import CardsLayout
from sample_darknet.markets.deflist import DefListLayout
from sample_darknet.markets.korean import KoreanLayout
from sample_darknet.markets.layout import Layout
from sample_darknet.markets.rows import RowsLayout
from sample_darknet.markets.table import TableLayout
from sample_darknet.members import build_members
from sample_darknet.model import Site
from sample_darknet.sites import encodings, hostile, traps
from sample_darknet.sites.context import BuildContext
from sample_darknet.sites.directories import build_directory
from sample_darknet.sites.forums import build_forum
from sample_darknet.sites.korean_ads import build_korean_ads
from sample_darknet.sites.mirrors import build_copy
from sample_darknet.sites.ordinary import build_ordinary
from sample_darknet.sites.pastes import build_paste
from sample_darknet.sites.shops import build_shop

Builder = Callable[[BuildContext, Site], None]


def _nothing(ctx: BuildContext, site: Site) -> None:
    """Dead sites: in the seed list, never served."""


@dataclass(frozen=True)
class SiteEntry:
    site_id: str
    kind: str
    note: str
    tags: tuple[str, ...] = ()
    language: str = "en"
    status: str = "up"
    build: Builder = _nothing
    layout: Layout | None = None
    plan: MarketPlan | None = None


def _market(site_id: str, layout: Layout, index: int, name: str, vendor_ids: str) -> SiteEntry:
    placement = ("text", "href", "attr", "comment", "split", "zero_width")[index]
    plan = MarketPlan(index, name, tuple(vendor_ids.split()), placement, obfuscate_email=index % 2 == 1)
    return SiteEntry(site_id, "market", name, ("market", layout.lang), layout.lang, layout=layout, plan=plan)


def _site(site_id: str, kind: str, build: Builder, note: str, lang: str = "en", status: str = "up") -> SiteEntry:
    return SiteEntry(site_id, kind, note, (kind, lang), lang, status, build)


SITES: tuple[SiteEntry, ...] = (
    _market("market-table", TableLayout(), 0, "Abacus Bazaar", "iceking greendragon pharmabro snowwhite opiumden"),
    _market("market-cards", CardsLayout(), 1, "Cardinal Market", "iceking candyman greendrag0n ketaqueen pharmabro"),
    _market(
        "market-deflist",
        DefListLayout(),
        2,
        "Definitive Exchange",
        "greendragon acidalice snowwhite pharmabro candyman",
    ),
    _market("market-rows", RowsLayout(), 3, "Monero Row", "seoulsupply opiumden ketaqueen greendragon acidalice"),
    _market("market-bullets", BulletsLayout(), 4, "Bullet Bazaar", "greendrag0n snowwhite candyman opiumden"),
    _market("market-korean", KoreanLayout(), 5, "한국 장터", "iceking seoulsupply candyman"),
    _site("shop-iceking", "shop", build_shop, "IceKing shop", "en"),
    _site("shop-candyman", "shop", build_shop, "CandyMan store"),
    _site("shop-acidalice", "shop", build_shop, "AcidAlice blotter shop"),
    _site("shop-opiumden", "shop", build_shop, "OpiumDen"),
    _site("forum-dreadful", "forum", build_forum, "Dreadful forum"),
    _site("forum-hub", "forum", build_forum, "The Hub board"),
    _site("forum-cave", "forum", build_forum, "Cave talk"),
    _site("paste-stronghold", "paste", build_paste, "Stronghold paste"),
    _site("paste-deep", "paste", build_paste, "DeepPaste"),
    _site("paste-zero", "paste", build_paste, "ZeroBin mirror"),
    _site("dir-wiki", "directory", build_directory, "Hidden link wiki"),
    _site("dir-daunt", "directory", build_directory, "Daunt links"),
    _site("dir-torlinks", "directory", build_directory, "TorLinks list"),
    _site("ko-ads-ice", "korean_ads", build_korean_ads, "아이스 직거래 게시판", "ko"),
    _site("ko-ads-candy", "korean_ads", build_korean_ads, "캔디 나눔터", "ko"),
    _site("ko-ads-drop", "korean_ads", build_korean_ads, "드랍 구인 게시판", "ko"),
    _site("ordinary-ko-cafe", "ordinary", build_ordinary, "디저트 일기", "ko"),
    _site("ordinary-ko-winter", "ordinary", build_ordinary, "겨울 여행", "ko"),
    _site("ordinary-en-hockey", "ordinary", build_ordinary, "Ice hockey club"),
    _site("ordinary-en-kitchen", "ordinary", build_ordinary, "Grandma's kitchen"),
    _site("enc-euckr", "encoding", encodings.build_euckr, "EUC-KR board", "ko"),
    _site("enc-cp1251", "encoding", encodings.build_cp1251, "CP1251 shop", "ru"),
    _site("hostile-flood", "hostile", hostile.build_flood, "Link flood", status="flood"),
    _site("hostile-huge", "hostile", hostile.build_huge, "Huge page", status="huge"),
    _site("hostile-redirect", "hostile", hostile.build_redirects, "Redirect loops", status="redirect"),
    _site("hostile-slow", "hostile", hostile.build_slow, "Slow pages", status="slow"),
    _site("hostile-media", "hostile", hostile.build_media, "Media and binaries", status="media"),
    _site("hostile-bomb", "hostile", hostile.build_bomb, "Gzip bomb", status="bomb"),
    _site("hostile-markup", "hostile", hostile.build_markup, "Hostile markup", status="hostile"),
    _site("trap-calendar", "trap", traps.build_calendar, "Infinite calendar", status="trap"),
    _site("trap-deep", "trap", traps.build_deep, "Ever-deeper URLs", status="trap"),
    _site("dead-market", "market", _nothing, "Seized market", status="dead"),
    _site("dead-shop", "shop", _nothing, "Exit-scammed shop", status="dead"),
    _site("dead-forum", "forum", _nothing, "Closed forum", status="dead"),
    _site("dead-paste", "paste", _nothing, "Gone paste bin", status="dead"),
    # Member-only sites (sample_darknet/members.py): a login wall behind an anti-DDoS queue, a captcha wall.
    _site("members-vault", "members", build_members, "Velvet Vault (members only)", status="members"),
    _site("members-agora", "members", build_members, "Agora Lounge (members only)", status="members"),
    _site("members-lantern", "members", build_members, "Lantern board (captcha)", status="members"),
    # Mirrors, near-mirrors and phishing clones of the sites above (sample_darknet/sites/mirrors.py).
    _site("mirror-iceking-a", "shop", build_copy, "IceKing shop (mirror)"),
    _site("mirror-iceking-b", "shop", build_copy, "IceKing shop (mirror, footer)"),
    _site("mirror-candyman", "shop", build_copy, "CandyMan store (mirror, footer)"),
    _site("near-acidalice", "shop", build_copy, "AcidAlice shop (near-mirror)"),
    _site("near-ko-ice", "korean_ads", build_copy, "아이스 게시판 (near-mirror)", "ko"),
    _site("clone-bullets", "market", build_copy, "Bullet Bazaar (phishing clone)"),
    _site("clone-candyman", "shop", build_copy, "CandyMan store (phishing clone)"),
)
