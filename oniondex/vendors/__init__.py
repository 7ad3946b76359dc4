"""Vendors: records per site, normalised names, and links across sites (strong evidence or weak name)."""

from __future__ import annotations

from oniondex.vendors.correlate import Correlation, Link, VendorView, correlate, find_vendor
from oniondex.vendors.names import normalise_name
from oniondex.vendors.records import VendorRecord, vendor_records

__all__ = [
    "Correlation",
    "Link",
    "VendorRecord",
    "VendorView",
    "correlate",
    "find_vendor",
    "normalise_name",
    "vendor_records",
]
