"""The listing record every extractor returns, as the index and the vendor store read it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# The fields scored against the ground truth (`oniondex quality listings`).
SCORED_FIELDS = ("title", "price", "currency", "vendor", "ships_from", "ships_to")
EXTRA_FIELDS = ("unit", "category")


@dataclass(frozen=True)
class ListingRecord:
    title: str
    price: float | None
    currency: str
    unit: str
    vendor: str
    category: str
    ships_from: str
    ships_to: str
    url: str
    site: str
    seen_at: str
    price_text: str = ""
    extractor: str = ""  # "profile:<name>" or "generic"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
