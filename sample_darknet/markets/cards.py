"""Layout "cards": a modern grid of <div class="card">, euro prices with a decimal comma."""

from __future__ import annotations

from typing import ClassVar

from sample_darknet.doc import Doc, esc
from sample_darknet.markets.layout import Layout
from sample_darknet.model import Listing


class CardsLayout(Layout):
    name = "cards"
    currency = "EUR"
    price_styles = ("comma", "symbol", "word")
    routes: ClassVar[dict[str, str]] = {
        "listing": "/product/{id}",
        "vendor": "/shop/{name}",
        "category": "/c/{slug}",
        "search": "/find?term={q}",
    }

    def summary(self, doc: Doc, item: Listing, title_link: str, vendor_link: str) -> str:
        return (
            f'<div class="card"><h3 class="card-title">{title_link}</h3>'
            f'<div class="card-price">{esc(item.price_text)} <small>{esc(item.unit)}</small></div>'
            f'<div class="card-meta">by {vendor_link} · {esc(item.ships_from)} → {esc(item.ships_to)}</div></div>'
        )

    def wrap(self, blocks: list[str]) -> str:
        return f'<div class="grid">{"".join(blocks)}</div>'

    def fields(self, pairs: list[tuple[str, str]]) -> str:
        items = "".join(
            f'<div class="kv"><div class="k">{esc(label)}</div><div class="v">{value}</div></div>'
            for label, value in pairs
        )
        return f'<div class="panel">{items}</div>'
