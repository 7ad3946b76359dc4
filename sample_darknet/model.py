"""The world's data: sites, their pages, and the ground truth each page carries.

A `PageSpec` holds both what is served (bytes, headers, delay) and what is true about it, so the
truth can never drift from the bytes: both are made in the same place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Entity:
    type: str  # BTC ETH XMR LTC BCH DOGE TRX ZEC DASH onion email pgp telegram phone
    value: str  # normalised (see the truth docs in world.py)
    placement: str = "text"  # text, href, attr, comment, split, zero_width, pgp_block

    def truth(self) -> dict[str, str]:
        return {"type": self.type, "value": self.value, "placement": self.placement}


@dataclass(frozen=True)
class Listing:
    title: str
    price: float
    currency: str  # ISO-ish code: USD EUR BTC XMR KRW RUB
    price_text: str  # as shown on the page
    unit: str  # "" when the page shows none
    vendor: str
    category: str
    drug_tag: str
    ships_from: str
    ships_to: str
    url: str

    def truth(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class VendorView:
    """A vendor as one site shows it; `vendor_id` is the real identity behind the display name."""

    vendor_id: str
    name: str
    url: str
    pgp: str  # 40-hex fingerprint
    payout: tuple[tuple[str, str], ...]  # (type, normalised value)
    contacts: tuple[tuple[str, str], ...]

    def truth(self) -> dict[str, Any]:
        return {
            "vendor_id": self.vendor_id,
            "name": self.name,
            "url": self.url,
            "pgp": self.pgp,
            "payout": [{"type": t, "value": v} for t, v in self.payout],
            "contacts": [{"type": t, "value": v} for t, v in self.contacts],
        }


@dataclass
class PageSpec:
    path: str  # path plus query, exactly as requested
    title: str = ""
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    encoding: str = "utf-8"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    # Bodies too big to hold (the 30 MB page) are produced in chunks on every request.
    stream: Callable[[], Iterator[bytes]] | None = None
    stream_length: int = 0
    links: list[str] = field(default_factory=list)
    onion_links: list[str] = field(default_factory=list)
    clearnet_links: list[str] = field(default_factory=list)
    redirect_to: str = ""
    media: bool = False
    entities: list[Entity] = field(default_factory=list)
    decoys: list[dict[str, str]] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)
    vendors: list[VendorView] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    drug_tags: list[str] = field(default_factory=list)
    hostile: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # kind-specific facts (decoded size, resources)
    depth: int | None = None  # filled in by the world from the link graph

    def body_length(self) -> int:
        return self.stream_length if self.stream is not None else len(self.body)

    def truth(self, url: str) -> dict[str, Any]:
        return {
            "url": url,
            "status": self.status,
            "title": self.title,
            "content_type": self.content_type,
            "encoding": self.encoding,
            "length": self.body_length(),
            "depth": self.depth,
            "links": self.links,
            "onion_links": self.onion_links,
            "clearnet_links": self.clearnet_links,
            "redirect_to": self.redirect_to,
            "delay": self.delay,
            "media": self.media,
            "entities": [e.truth() for e in self.entities],
            "decoys": self.decoys,
            "listings": [item.truth() for item in self.listings],
            "vendors": [v.truth() for v in self.vendors],
            "terms": self.terms,
            "drug_tags": self.drug_tags,
            "hostile": self.hostile,
            **self.extra,
        }


# A resolver serves paths not in `pages` (trap sites make pages up on the fly); None means 404.
Resolver = Callable[[str], PageSpec | None]


@dataclass
class Site:
    site_id: str
    key_seed: bytes  # 32-byte ed25519 private seed: hosts the site as a real onion service
    onion: str
    kind: str
    status: str = "up"  # up, dead, slow, trap, flood, huge, bomb, redirect, media, hostile
    language: str = "en"
    layout: str = ""
    tags: tuple[str, ...] = ()
    note: str = ""
    pages: dict[str, PageSpec] = field(default_factory=dict)
    resolver: Resolver | None = None
    trap: dict[str, Any] = field(default_factory=dict)
    cluster: str = ""  # the site_id of its mirror cluster's original (sites/mirrors.py); "" means itself
    clone: dict[str, Any] = field(default_factory=dict)  # a phishing clone: {"of": site_id, "swapped": [...]}

    @property
    def base(self) -> str:
        return f"http://{self.onion}"

    @property
    def served(self) -> bool:
        return self.status != "dead"

    def add(self, page: PageSpec) -> PageSpec:
        self.pages[page.path] = page
        return page

    def lookup(self, path: str) -> PageSpec | None:
        page = self.pages.get(path)
        if page is None and self.resolver is not None:
            page = self.resolver(path)
        return page

    def truth(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "site_id": self.site_id,
            "kind": self.kind,
            "status": self.status,
            "language": self.language,
            "tags": list(self.tags),
            "pages": {path: page.truth(self.base + path) for path, page in self.pages.items()},
            "cluster": self.cluster or self.site_id,
        }
        if self.clone:
            out["clone"] = self.clone
        if self.layout:
            out["layout"] = self.layout
        if self.trap:
            out["trap"] = self.trap
        return out
