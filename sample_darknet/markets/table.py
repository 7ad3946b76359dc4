"""Layout "table": an old-school market, every list a <table>, prices in US dollars with a $ sign."""

from __future__ import annotations

from sample_darknet.doc import Doc, esc
from sample_darknet.markets.layout import Layout
from sample_darknet.model import Listing


class TableLayout(Layout):
    name = "table"
    currency = "USD"
    price_styles = ("symbol", "code")

    def summary(self, doc: Doc, item: Listing, title_link: str, vendor_link: str) -> str:
        return (
            f'<tr><td>{title_link}</td><td>{vendor_link}</td><td class="price">{esc(item.price_text)}</td>'
            f"<td>{esc(item.unit)}</td><td>{esc(item.ships_from)}</td><td>{esc(item.ships_to)}</td></tr>"
        )

    def wrap(self, blocks: list[str]) -> str:
        head = "".join(f"<th>{h}</th>" for h in ("Item", "Vendor", "Price", "Unit", "From", "To"))
        return f'<table class="listings"><thead><tr>{head}</tr></thead><tbody>{"".join(blocks)}</tbody></table>'

    def fields(self, pairs: list[tuple[str, str]]) -> str:
        rows = "".join(f"<tr><th>{esc(label)}</th><td>{value}</td></tr>" for label, value in pairs)
        return f'<table class="details">{rows}</table>'
