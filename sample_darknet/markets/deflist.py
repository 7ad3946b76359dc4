"""Layout "deflist": every listing a <dl> of <dt>/<dd> pairs, prices in bitcoin."""

from __future__ import annotations

from typing import ClassVar

from sample_darknet.doc import Doc, esc
from sample_darknet.markets.layout import Layout
from sample_darknet.model import Listing


class DefListLayout(Layout):
    name = "deflist"
    currency = "BTC"
    price_styles = ("code", "symbol", "word")
    routes: ClassVar[dict[str, str]] = {
        "listing": "/item.php?id={id}",
        "vendor": "/user.php?u={name}",
        "category": "/browse.php?cat={slug}",
        "search": "/search.php?q={q}",
    }

    def summary(self, doc: Doc, item: Listing, title_link: str, vendor_link: str) -> str:
        pairs = [
            ("Item", title_link),
            ("Price", esc(item.price_text)),
            ("Per", esc(item.unit)),
            ("Seller", vendor_link),
            ("Origin", esc(item.ships_from)),
            ("Destination", esc(item.ships_to)),
        ]
        return f'<dl class="offer">{"".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in pairs)}</dl>'

    def fields(self, pairs: list[tuple[str, str]]) -> str:
        return f"<dl>{''.join(f'<dt>{esc(k)}</dt><dd>{v}</dd>' for k, v in pairs)}</dl>"
