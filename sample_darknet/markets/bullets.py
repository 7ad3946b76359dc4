"""Layout "bullets": plain <ul>/<li> lines of prose ("Price: 120 dollars — Vendor: X"), no classes at all."""

from __future__ import annotations

from typing import ClassVar

from sample_darknet.doc import Doc, esc
from sample_darknet.markets.layout import Layout
from sample_darknet.model import Listing


class BulletsLayout(Layout):
    name = "bullets"
    currency = "USD"
    price_styles = ("word", "code")
    routes: ClassVar[dict[str, str]] = {
        "listing": "/p/{id}.html",
        "vendor": "/u/{name}.html",
        "category": "/cat/{slug}.html",
        "search": "/s.html?query={q}",
    }

    def summary(self, doc: Doc, item: Listing, title_link: str, vendor_link: str) -> str:
        return (
            f"<li>{title_link} — Price: {esc(item.price_text)} ({esc(item.unit)}) — Vendor: {vendor_link}"
            f" — ships from {esc(item.ships_from)} to {esc(item.ships_to)}</li>"
        )

    def wrap(self, blocks: list[str]) -> str:
        return f"<ul>{''.join(blocks)}</ul>"

    def fields(self, pairs: list[tuple[str, str]]) -> str:
        return f"<ul>{''.join(f'<li>{esc(k)}: {v}</li>' for k, v in pairs)}</ul>"
