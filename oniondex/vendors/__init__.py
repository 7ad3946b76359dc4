"""Vendors: records per site, normalised names, and links across sites (strong evidence or weak name)."""

from __future__ import annotations

from oniondex.vendors.correlate import Correlation, Link, VendorView, correlate, find_vendor
from oniondex.vendors.names import normalise_name
from oniondex.vendors.records import extract_vendors

__all__ = ["Correlation", "Link", "VendorView", "correlate", "extract_vendors", "find_vendor", "normalise_name"]
