"""`vendor_records(page, entities, listings)`: the vendor a page presents, with the identifiers it shows.

A page presents a vendor when it is a vendor's profile page (a profile's `vendor.urls`, or a vendor URL
such as /vendor/NAME, /u/NAME, ?member=NAME) or a single-vendor shop page headed "NAME's shop",
"Contact NAME", "PGP key of NAME". Its PGP fingerprints, contact handles and payout addresses come from
the page's entities (oniondex.entities).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, is_dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from oniondex.listings.extract import default_profiles
from oniondex.listings.profiles import select_profile
from oniondex.listings.text import element_text
from oniondex.listings.vocabulary import vendor_from_url
from oniondex.vendors.names import market_names, normalise_name, seller_links

if TYPE_CHECKING:
    from oniondex.listings.profiles import Profile
    from oniondex.page import Page

CONTACT_TYPES = ("telegram", "email", "phone", "session", "threema", "wickr", "kakao_openchat")
PAYOUT_TYPES = ("BTC", "ETH", "XMR", "LTC", "BCH", "DOGE", "TRX", "ZEC", "DASH")


@dataclass(frozen=True)
class Identifier:
    """A contact handle or payout address a vendor shows: an entity's type and value."""

    type: str
    value: str


@dataclass(frozen=True)
class VendorRecord:
    """One vendor as one page presents it: the typed record the vendor store and the index read."""

    name: str
    name_normalised: str
    site: str
    url: str
    pgp: tuple[str, ...] = ()
    contacts: tuple[Identifier, ...] = ()
    payout: tuple[Identifier, ...] = ()
    listing_count: int = 0
    first_seen: str = ""
    last_seen: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_SHOP_HEADING_RES = (
    re.compile(r"^(?P<name>\S.{0,40}?)['’]s\s+(?:shop|store|market)$", re.IGNORECASE),
    re.compile(r"^(?:contact|pgp key of|pgp-schlüssel von|kontakt|контакты|связь с)\s+(?P<name>\S.{0,40})$", re.I),
    re.compile(r"^(?P<name>\S.{0,40}?)\s*(?:판매자 연락처|연락처)$"),
)


def vendor_records(
    page: Page,
    entities: list[Any],
    listings: list[Any] = (),  # ListingRecord
    seen_at: str | None = None,
    profiles: list[Profile] | None = None,
) -> list[VendorRecord]:
    """Every vendor a page presents, in page order: the page's own vendor (a profile or shop page), the
    vendors of its listings, and seller links ("Sold by", top-vendor boxes, forum vendor flair).
    `entities` are `Entity` objects (or their dicts), `listings` the page's `ListingRecord`s. PGP keys,
    contacts and payout addresses go to a vendor only where the page is that vendor's: its profile or
    shop page, or a page with that vendor's one listing."""
    seen = seen_at or datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    owner = vendor_name(page, default_profiles() if profiles is None else profiles)
    names = [owner] if owner else []
    names += [x.vendor for x in listings if x.vendor]
    names += seller_links(page)
    market = market_names(page)
    shown: dict[str, str] = {}
    for name in names:
        key = normalise_name(name)
        if key and key not in market:
            shown.setdefault(key, name)
    if not owner and len(listings) == 1 and listings[0].vendor:
        owner = listings[0].vendor
    counts = Counter(normalise_name(x.vendor) for x in listings if x.vendor)
    owner_key = normalise_name(owner) if owner else ""
    # The entities are read only for the page's own vendor: most pages (list pages) present none.
    found = [_as_dict(e) for e in entities] if owner_key in shown else []
    records = []
    for key, name in shown.items():
        mine = key == owner_key
        records.append(
            VendorRecord(
                name=name,
                name_normalised=key,
                site=page.host,
                url=page.url,
                pgp=tuple(sorted({e.get("fingerprint") or e["value"] for e in found if e["type"] == "pgp"}))
                if mine
                else (),
                contacts=_pairs(found, CONTACT_TYPES) if mine else (),
                payout=_pairs(found, PAYOUT_TYPES) if mine else (),
                listing_count=counts[key],
                first_seen=seen,
                last_seen=seen,
            )
        )
    return records


def vendor_name(page: Page, profiles: list[Profile]) -> str:
    if page.tree is None:
        return ""
    profile = select_profile(page, profiles)
    if profile is not None and profile.vendor is not None:
        if not any(p.search(page.url) for p in profile.vendor.urls):
            return ""
        rule = profile.vendor.name
        found = rule.css(page.tree) if rule.css is not None else []
        return element_text(found[0]) if found else ""
    from_url = vendor_from_url(page.url)
    if from_url:
        return _display_form(page, from_url)
    return _shop_owner(page)


def _display_form(page: Page, from_url: str) -> str:
    """The page's own spelling of the name in its URL, when a heading shows it."""
    for heading in page.tree.iter("h1", "h2", "h3") if page.tree is not None else ():
        text = element_text(heading)
        if normalise_name(text) == normalise_name(from_url):
            return text
    return from_url


def _shop_owner(page: Page) -> str:
    for heading in page.tree.iter("h1") if page.tree is not None else ():
        text = element_text(heading)
        for pattern in _SHOP_HEADING_RES:
            match = pattern.match(text)
            if match:
                return match["name"].strip()
    return ""


def _pairs(found: list[dict[str, Any]], types: tuple[str, ...]) -> tuple[Identifier, ...]:
    return tuple(sorted({Identifier(e["type"], e["value"]) for e in found if e["type"] in types}, key=str))


def _as_dict(entity: Any) -> dict[str, Any]:
    """An `Entity` through its own `as_dict` (no deep copies), another dataclass through `asdict`."""
    if hasattr(entity, "as_dict"):
        return entity.as_dict()
    return asdict(entity) if is_dataclass(entity) and not isinstance(entity, type) else dict(entity)
