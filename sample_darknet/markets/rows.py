"""Layout "rows": label + span rows (<label>Price:</label> <span>…</span>), prices in monero."""

from __future__ import annotations

from typing import ClassVar

from sample_darknet.doc import Doc, esc
from sample_darknet.markets.layout import Layout
from sample_darknet.model import Listing


class RowsLayout(Layout):
    name = "rows"
    currency = "XMR"
    price_styles = ("code", "word", "symbol")
    routes: ClassVar[dict[str, str]] = {
        "listing": "/offer/{id}",
        "vendor": "/seller/{name}",
        "category": "/section/{slug}",
        "search": "/?s={q}",
    }

    def summary(self, doc: Doc, item: Listing, title_link: str, vendor_link: str) -> str:
        return f'<section class="offer"><h4>{title_link}</h4>{self.fields(self._pairs(item, vendor_link))}</section>'

    def _pairs(self, item: Listing, vendor_link: str) -> list[tuple[str, str]]:
        return [
            ("Price", esc(item.price_text)),
            ("Quantity", esc(item.unit)),
            ("Seller", vendor_link),
            ("Ships from", esc(item.ships_from)),
            ("Ships to", esc(item.ships_to)),
        ]

    def fields(self, pairs: list[tuple[str, str]]) -> str:
        return "".join(
            f'<div class="row"><label>{esc(label)}:</label> <span class="val">{value}</span></div>'
            for label, value in pairs
        )
