"""Synthetic pages for the cluster tests: a shop template with one vendor's identifiers."""

from __future__ import annotations

from oniondex.extraction import PageExtraction
from oniondex.vendors.records import Identifier, VendorRecord

TEMPLATE = (
    "Welcome to the {shop} store of fine goods. Every order ships in vacuum sealed stealth packaging "
    "within two days, tracking on request. Page {n}: our {item} selection is restocked every Monday and "
    "reviewed by buyers on the forum. Escrow is available for first orders; finalize early only after "
    "three successful deals."
)
ITEMS = ("crystal", "pills", "hash", "blotter")


def shop_page(
    shop: str, n: int, payout: str = "", pgp: str = "", telegram: str = "", vendor: str = ""
) -> PageExtraction:
    vendors = ()
    if vendor:
        vendors = (
            VendorRecord(
                vendor,
                vendor.lower(),
                "",
                "",
                pgp=(pgp,) if pgp else (),
                contacts=(Identifier("telegram", telegram),) if telegram else (),
                payout=(Identifier("BTC", payout),) if payout else (),
            ),
        )
    text = TEMPLATE.format(shop=shop, n=n, item=ITEMS[n % len(ITEMS)])
    return PageExtraction(title=f"{shop} page {n}", text=text, vendors=vendors)


def other_page(n: int, vendor: str = "", payout: str = "") -> PageExtraction:
    """A page of another kind of site: none of the shop template's words in a row."""
    vendors = (VendorRecord(vendor, vendor.lower(), "", "", payout=(Identifier("BTC", payout),)),) if vendor else ()
    text = (
        f"Thread {n} on the board: has anybody ordered lately? The last parcel took a month to arrive and the "
        "seller stopped answering messages, so think twice. Moderators remind everyone that doxxing is banned."
    )
    return PageExtraction(title=f"Board thread {n}", text=text, vendors=vendors)


def host(label: str) -> str:
    return (label * 56)[:56] + ".onion"
