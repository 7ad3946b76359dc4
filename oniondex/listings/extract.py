"""`listing_records(page)`: one record per listing on a page, through a site profile when one fits,
through the generic extractor otherwise."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from oniondex.listings.generic import listing_blocks
from oniondex.listings.profiled import profiled_blocks
from oniondex.listings.profiles import load_profiles, select_profile
from oniondex.listings.records import ListingRecord

if TYPE_CHECKING:
    from oniondex.listings.money import Price
    from oniondex.listings.profiles import Profile
    from oniondex.page import Page

_DEFAULT_PROFILES: list[Profile] | None = None


class Block(Protocol):
    price: Price | None

    def title(self) -> str: ...
    def url(self) -> str: ...
    def amount(self) -> float | None: ...
    def currency(self) -> str: ...
    def unit(self) -> str: ...
    def vendor(self) -> str: ...
    def category(self) -> str: ...
    def ships_from(self) -> str: ...
    def ships_to(self) -> str: ...


def default_profiles() -> list[Profile]:
    """The profiles shipped in profiles/, read once."""
    global _DEFAULT_PROFILES
    if _DEFAULT_PROFILES is None:
        _DEFAULT_PROFILES = load_profiles()
    return _DEFAULT_PROFILES


def listing_records(
    page: Page, seen_at: str | None = None, profiles: list[Profile] | None = None
) -> list[ListingRecord]:
    seen = seen_at or datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    chosen = select_profile(page, default_profiles() if profiles is None else profiles)
    blocks: list[Any] = profiled_blocks(page, chosen) if chosen is not None else []
    name = f"profile:{chosen.name}" if chosen is not None else "generic"
    if not blocks:  # no profile fits, or the one that fits finds nothing on this page
        blocks, name = listing_blocks(page), "generic"
    records = (_record(page, block, seen, name) for block in blocks)
    return [r for r in records if r.title and r.price is not None]


def _record(page: Page, block: Block, seen_at: str, extractor: str) -> ListingRecord:
    return ListingRecord(
        title=block.title(),
        price=block.amount(),
        currency=block.currency(),
        unit=block.unit(),
        vendor=block.vendor(),
        category=block.category(),
        ships_from=block.ships_from(),
        ships_to=block.ships_to(),
        url=block.url(),
        site=page.host,
        seen_at=seen_at,
        price_text=block.price.text if block.price else "",
        extractor=extractor,
    )
