"""Listings: market structure out of a market's pages (site profiles first, generic extraction else).

Pure functions from a `Page`; no Scrapy, no network. See `listing_records`.
"""

from __future__ import annotations

from oniondex.listings.extract import listing_records
from oniondex.listings.money import Price, find_prices
from oniondex.listings.records import ListingRecord

__all__ = ["ListingRecord", "Price", "find_prices", "listing_records"]
