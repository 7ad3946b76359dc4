"""A small world for the link-graph tests, written here: two markets, a Telegram channel, a vendor with a
hostile name (markup, quotes, a right-to-left override, 200 characters) whose payout address, handle and
PGP key are shared, and a page of filler addresses to push the neighbourhood past its size bound."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oniondex.index import open_index
from oniondex.vendors.records import Identifier, VendorRecord
from oniondex.vendors.store import VendorStore

MARKET_A = "a" * 55 + "d.onion"
MARKET_B = "b" * 55 + "d.onion"
FORUM = "c" * 55 + "d.onion"
CHANNEL = "evil_handle"
BTC = "bc1qgraphtestaddressxxxxxxxxxxxxxxxxxxxx"
ETH = "0x52908400098527886E0F7030069857D2E4169EE7"
PGP = "0123456789ABCDEF0123456789ABCDEF01234567"
EMAIL = "dealer2@example.org"
HOSTILE = "<script>alert('x')</script>\u202eevil \"shop\" " + "A" * 200
FILLERS = 80
TIMES = {"a": "2026-01-05T10:00:00+00:00", "b": "2026-02-10T12:00:00+00:00", "post": "2026-03-15T08:30:00+00:00"}


def entity(kind: str, value: str, snippet: str = "") -> dict[str, str]:
    return {"type": kind, "value": value, "snippet": snippet or f"pay to {value}"}


def page(
    url: str, site: str, fetched_at: str, title: str, entities: list[dict[str, str]], **extra: Any
) -> dict[str, Any]:
    return {
        "url": url,
        "id": url,
        "site": site,
        "fetched_at": fetched_at,
        "status": 200,
        "title": title,
        "text": " ".join(e["snippet"] for e in entities),
        "language": "en",
        "content_type": "text/html",
        "sha256": str(abs(hash(url)))[:16].ljust(64, "0"),
        "tags": [],
        "entities": entities,
        "listings": [],
        "vendors": [],
        **extra,
    }


def records() -> list[dict[str, Any]]:
    hostile_page = page(
        f"http://{MARKET_A}/vendor/evil",
        MARKET_A,
        TIMES["a"],
        "<b>vendor</b> profile",
        [
            entity("BTC", BTC, f"<img src=x onerror=alert(1)> payout {BTC}"),
            entity("telegram", CHANNEL),
            entity("pgp", PGP),
        ],
        vendors=[{"name": HOSTILE}],
        onion_links=[FORUM],
    )
    dealer = page(
        f"http://{MARKET_B}/shop/dealer2",
        MARKET_B,
        TIMES["b"],
        "Dealer2's shop",
        [entity("BTC", BTC), entity("email", EMAIL), entity("ETH", ETH)],
        vendors=[{"name": "Dealer2"}],
    )
    fillers = page(
        f"http://{FORUM}/thread/1",
        FORUM,
        TIMES["b"],
        "address dump",
        [entity("BTC", BTC)] + [entity("BTC", f"bc1qfiller{i:03d}") for i in range(FILLERS)],
    )
    post = page(
        f"https://t.me/{CHANNEL}/7",
        f"t.me/{CHANNEL}",
        TIMES["post"],
        "",
        [entity("BTC", BTC), entity("telegram", CHANNEL)],
        doc_kind="post",
        channel=CHANNEL,
        post_id=7,
        posted_at=TIMES["post"],
    )
    return [hostile_page, dealer, fillers, post]


def vendors() -> list[VendorRecord]:
    hostile = VendorRecord(
        HOSTILE,
        "evilshop",
        MARKET_A,
        f"http://{MARKET_A}/vendor/evil",
        pgp=(PGP,),
        contacts=(Identifier("telegram", CHANNEL),),
        payout=(Identifier("BTC", BTC),),
        listing_count=3,
        first_seen=TIMES["a"],
        last_seen=TIMES["a"],
    )
    dealer = VendorRecord(
        "Dealer2",
        "dealer2",
        MARKET_B,
        f"http://{MARKET_B}/shop/dealer2",
        contacts=(Identifier("email", EMAIL),),
        payout=(Identifier("BTC", BTC), Identifier("ETH", ETH)),
        listing_count=1,
        first_seen=TIMES["b"],
        last_seen=TIMES["b"],
    )
    return [hostile, dealer]


def build(data_dir: Path) -> Path:
    """Write the world's index and vendor store under `data_dir` (the layout `oniondex serve` reads)."""
    index = open_index(data_dir / "index")
    index.add_pages(records())
    index.commit()
    index.close()
    store = VendorStore(data_dir / "vendors.db")
    for record in vendors():
        store.add_vendor(record)
    store.close()
    return data_dir
