"""Market layouts written for these tests (none is taken from a real market), each a function from offers
to a page, so every layout can make several pages with known truth.

DEV layouts were looked at while the generic extractor was written; HELD_OUT layouts were written after
it and are measured, never tuned against.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Offer:
    title: str
    price: str  # as the truth writes it: a number string
    shown: str  # as the page prints it
    currency: str
    vendor: str
    category: str | None = None
    ships_from: str | None = None
    ships_to: str | None = None

    def truth(self) -> dict[str, str | None]:
        return {
            "title": self.title, "price": self.price, "currency": self.currency, "vendor": self.vendor,
            "category": self.category, "ships_from": self.ships_from, "ships_to": self.ships_to,
        }  # fmt: skip


def _page(title: str, body: str, lang: str = "en") -> str:
    return (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{escape(title)}</title></head>"
        f"<body><header><nav><a href='/'>Home</a> <a href='/account'>Account</a></nav></header>{body}"
        "<footer><a href='/rules'>Rules</a></footer></body></html>"
    )


def tiles_en(offers: list[Offer], i: int = 0) -> str:
    """A grid of <article> tiles, some with a badge class; price with a BTC figure in a tooltip."""
    tiles = []
    for n, o in enumerate(offers):
        badge = " tile--hot" if n % 3 == 0 else ""
        tiles.append(
            f"<article class='tile{badge}'><a href='/offer/{i}{n}'><img src='/img/{n}.png' alt=''></a>"
            f"<h3><a href='/offer/{i}{n}'>{escape(o.title)}</a></h3>"
            f"<div class='cost'>{escape(o.shown)} <span class='tooltip'>≈ 0.00{n + 1}2 BTC</span></div>"
            f"<div class='trail'>Goods › {escape(o.category or '')}</div>"
            f"<div class='who'>Seller: <a href='/seller/{escape(o.vendor)}'>{escape(o.vendor)}</a> (4.9)</div>"
            f"<div class='ship'>Ships from {escape(o.ships_from or '')} to {escape(o.ships_to or '')}</div>"
            "</article>"
        )
    grid = f"<section class='grid'>{''.join(tiles)}</section>"
    return _page("Catalogue | Nightjar", f"<main><h1>Catalogue</h1>{grid}</main>")


def table_ru(offers: list[Offer], i: int = 0) -> str:
    """A table under a header row; roubles with a space as thousands separator; shops in /shop/NAME."""
    rows = "".join(
        f"<tr><td><a href='/item/{i}{n}'>{escape(o.title)}</a></td><td>{escape(o.shown)}</td>"
        f"<td><a href='/shop/{n}'>{escape(o.vendor)}</a></td><td>{escape(o.category or '')}</td></tr>"
        for n, o in enumerate(offers)
    )
    head = "<tr><th>Товар</th><th>Цена</th><th>Продавец</th><th>Категория</th></tr>"
    return _page("Витрина — Сова", f"<main><table class='goods'>{head}{rows}</table></main>", "ru")


def labelled_ko(offers: list[Offer], i: int = 0) -> str:
    """Korean cards of label/value rows (가격, 판매자, 발송지, 배송지역)."""
    cards = "".join(
        f"<div class='goods'><p class='name'><a href='/goods/{i}{n}'>{escape(o.title)}</a></p>"
        f"<p><b>가격</b> {escape(o.shown)}</p><p><b>판매자</b> {escape(o.vendor)}</p>"
        f"<p><b>발송지</b> {escape(o.ships_from or '')}</p><p><b>배송지역</b> {escape(o.ships_to or '')}</p></div>"
        for n, o in enumerate(offers)
    )
    return _page("상품 목록 - 달빛", f"<div id='list'>{cards}</div>", "ko")


def flat_de(offers: list[Offer], i: int = 0) -> str:
    """A flat grid of columns with text labels above values, and a hover box of conversions first."""
    rows = "".join(
        f"<div class='row'><div class='col-2'><div class='hover-box'>≈ {n + 7},10 £ · {n + 9},30 $</div></div>"
        f"<div class='col-3'><p>Artikel:</p><p><a href='/angebot?id={i}{n}'>{escape(o.title)}</a></p></div>"
        f"<div class='col-3'><p>Preis:</p><p>{escape(o.shown)}</p></div>"
        f"<div class='col-2'><p>Verkäufer:</p><p><a href='/profil?user={escape(o.vendor)}'>{escape(o.vendor)}</a></p>"
        f"</div><div class='col-2'><p>Versand aus: {escape(o.ships_from or '')}</p>"
        f"<p>Versand nach: {escape(o.ships_to or '')}</p></div></div>"
        for n, o in enumerate(offers)
    )
    return _page("Angebote :: Kiebitz", f"<div class='container'>{rows}</div>", "de")


def blocks_mixed(offers: list[Offer], i: int = 0) -> str:
    """Held out. <li> records with 'from' prices in a tier line, vendor after 'by', a page filter."""
    items = "".join(
        f"<li class='entry'><span class='nm'><a href='/p/{i}{n}'>{escape(o.title)}</a></span>"
        f"<span class='pr'>from {escape(o.shown)}</span> <span class='by'>by "
        f"<a href='/vendor/{escape(o.vendor)}'>{escape(o.vendor)}</a></span></li>"
        for n, o in enumerate(offers)
    )
    side = (
        "<ul class='filter'><li><a href='/category/a'>Other</a></li>"
        "<li class='active'><a href='/category/b'>Pills</a></li></ul>"
    )
    return _page("Shop - Heron", f"<aside>{side}</aside><main><ol class='entries'>{items}</ol></main>")


def definition_grid(offers: list[Offer], i: int = 0) -> str:
    """Held out. <dl> per offer inside <div class='box'>; Monero and AUD prices; 'Origin'/'Destination'."""
    boxes = "".join(
        f"<div class='box'><h4><a href='/x/{i}{n}'>{escape(o.title)}</a></h4><dl>"
        f"<dt>Price</dt><dd>{escape(o.shown)}</dd><dt>Vendor</dt><dd>{escape(o.vendor)}</dd>"
        f"<dt>Origin</dt><dd>{escape(o.ships_from or '')}</dd><dt>Destination</dt><dd>{escape(o.ships_to or '')}</dd>"
        f"<dt>Category</dt><dd>{escape(o.category or '')}</dd></dl></div>"
        for n, o in enumerate(offers)
    )
    return _page("Boxes ~ Plover", f"<div class='boxes'>{boxes}</div>")


def single_en(o: Offer) -> str:
    """One listing: heading, <title> with the market's name, coin price with fiat conversions, a tier
    table, 'Sold by', breadcrumbs, shipping labels."""
    body = (
        "<div class='crumbs'><a href='/'>Home</a> / <a href='/category/drugs'>Drugs</a> / "
        f"<a href='/category/x'>{escape(o.category or '')}</a></div>"
        f"<main><h1>{escape(o.title)}</h1>"
        f"<p>Sold by <a href='/u/{escape(o.vendor)}'>{escape(o.vendor)}</a> (312 sales)</p><table class='facts'>"
        f"<tr><th>Price:</th><td>{escape(o.shown)} <small>(≈ $351.00 · 0.0031 BTC)</small></td></tr>"
        f"<tr><th>Ships from:</th><td>{escape(o.ships_from or '')}</td></tr>"
        f"<tr><th>Ships to:</th><td>{escape(o.ships_to or '')}</td></tr>"
        f"<tr><th>Category:</th><td>Drugs &gt; {escape(o.category or '')}</td></tr></table>"
        "<table class='tiers'><tr><td>10 pcs</td><td>$300</td></tr><tr><td>50 pcs</td><td>$1,300</td></tr></table>"
        "</main>"
    )
    return _page(f"{o.title} - Kestrel Market", body)


def offers(lang: str, seed: int = 0) -> list[Offer]:
    """Offers with prices and names per language; `seed` varies them between pages of one layout."""
    s = seed
    if lang == "ru":
        return [
            Offer(f"Мефедрон кристалл {s}{n} г", f"{3690 + n * 100 + s}", f"{3 + (690 + n * 100 + s) // 1000} "
                  f"{(690 + n * 100 + s) % 1000:03d} руб", "RUB", ["Север", "Южный Ветер", "Клад24"][n % 3],
                  "Стимуляторы") for n in range(5)
        ]  # fmt: skip
    if lang == "ko":
        return [
            Offer(f"아이스 {n + 1}g 특가 {s}", f"{(n + 3) * 10000}", f"₩{(n + 3) * 10:,},000", "KRW",
                  ["빙수", "달님", "고래"][n % 3], None, "부산", "전국") for n in range(4)
        ]  # fmt: skip
    if lang == "de":
        return [
            Offer(f"Haze {n + 1}0g Gewächshaus {s}", f"{1234 + n + s}.50", f"{1 + (234 + n + s) // 1000}."
                  f"{(234 + n + s) % 1000:03d},50 €", "EUR", ["GruenerDaumen", "Hanfwerk"][n % 2], None,
                  "Deutschland", "EU") for n in range(4)
        ]  # fmt: skip
    return [
        Offer(f"Oxy 30mg x{(n + 1) * 10} pressed {s}", f"{1250 + 25 * n + s}.00", f"${1 + (250 + 25 * n + s) // 1000},"
              f"{(250 + 25 * n + s) % 1000:03d}.00", "USD", ["bluebird", "north_star", "PillPal"][n % 3],
              ["Opioids", "Benzos"][n % 2], "United States", "Worldwide") for n in range(6)
    ]  # fmt: skip


DEV = {"tiles_en": (tiles_en, "en"), "table_ru": (table_ru, "ru"), "labelled_ko": (labelled_ko, "ko"),
       "flat_de": (flat_de, "de")}  # fmt: skip
HELD_OUT = {"blocks_mixed": (blocks_mixed, "en"), "definition_grid": (definition_grid, "en")}


def truth_of(layout: str, items: list[Offer]) -> list[dict[str, str | None]]:
    """What each layout prints: fields a layout does not show are null."""
    shown = {
        "tiles_en": {"title", "price", "currency", "vendor", "category", "ships_from", "ships_to"},
        "table_ru": {"title", "price", "currency", "vendor", "category"},
        "labelled_ko": {"title", "price", "currency", "vendor", "ships_from", "ships_to"},
        "flat_de": {"title", "price", "currency", "vendor", "ships_from", "ships_to"},
        "blocks_mixed": {"title", "price", "currency", "vendor"},
        "definition_grid": {"title", "price", "currency", "vendor", "category", "ships_from", "ships_to"},
    }[layout]
    out = []
    for item in items:
        row = {k: (v if k in shown else None) for k, v in item.truth().items()}
        if layout == "blocks_mixed":
            row["category"] = "Pills"  # the page's marked filter
        out.append(row)
    return out
