"""What a market layout decides: its URL scheme, its currency, and the markup of listings and fields."""

from __future__ import annotations

from typing import ClassVar
from urllib.parse import quote

from sample_darknet.doc import Doc, esc
from sample_darknet.model import Listing


class Layout:
    name = "base"
    lang = "en"
    currency = "USD"
    price_styles: tuple[str, ...] = ("symbol",)
    search_terms: tuple[str, ...] = ("pills", "gram", "crystal", "hash")
    labels: ClassVar[dict[str, str]] = {
        "price": "Price",
        "vendor": "Vendor",
        "category": "Category",
        "ships_from": "Ships from",
        "ships_to": "Ships to",
        "unit": "Unit",
        "contact": "Contact",
        "payout": "Payout address",
        "listings": "Listings",
        "search": "Search results for",
        "home": "Featured",
    }
    routes: ClassVar[dict[str, str]] = {
        "listing": "/listing/{id}",
        "vendor": "/vendor/{name}",
        "category": "/category/{slug}",
        "search": "/search?q={q}",
    }

    def path(self, kind: str, **values: str) -> str:
        return self.routes[kind].format(**{k: quote(v) for k, v in values.items()})

    def title_of(self, product_title: str, product_title_ko: str) -> str:
        return product_title

    def unit_of(self, unit: str, unit_ko: str) -> str:
        return unit

    def place(self, place: str) -> str:
        return place

    def summary(self, doc: Doc, item: Listing, title_link: str, vendor_link: str) -> str:
        """One listing inside a category, search or home list."""
        raise NotImplementedError

    def wrap(self, blocks: list[str]) -> str:
        return "\n".join(blocks)

    def fields(self, pairs: list[tuple[str, str]]) -> str:
        """Label/value pairs of a listing or vendor page; values are ready markup."""
        raise NotImplementedError

    def frame(self, market_name: str, nav: str, content: str) -> str:
        return f"<header><h1>{esc(market_name)}</h1><nav>{nav}</nav></header>\n<main>{content}</main>"
