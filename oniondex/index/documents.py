"""From one page record to the documents both backends store, one kind per index.

| kind     | id                      | written as                                                        |
| -------- | ----------------------- | ----------------------------------------------------------------- |
| pages    | url                     | replaced on every crawl: the current version of the page          |
| versions | url#sha256              | created once per distinct content: a changed page adds a version  |
| entities | type|value|url          | upserted: `first_seen` kept from the first crawl, `last_seen` moves |
| listings | url|title|vendor        | upserted, as entities                                             |
| vendors  | site|name               | upserted, as entities                                             |
| sites    | onion                   | upserted, as entities                                             |
| posts    | t.me/CHANNEL/ID url     | a Telegram post, as pages (oniondex/index/posts.py)               |

So a recrawl updates every document in place and adds none, unless a page's content changed.
Ids longer than MAX_ID_BYTES (Elasticsearch's _id limit is 512 bytes) are replaced by their SHA-256.

`record_document` is the one serializer from a typed `PageRecord` (and its `PageExtraction`) to the
JSON record every backend takes, the spool keeps and `Index.get` returns; `actions_for` derives each kind's
documents from that record. Records carry `document_version`:
- 1 (no field): the untyped dicts of before; their vendors already had `pgp`, `contacts` and `payout`.
- 2: written by `record_document`; vendor documents carry fingerprints, payouts and contact handles.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from oniondex.extraction import PageExtraction
    from oniondex.records import PageRecord

DOCUMENT_VERSION = 2
KINDS = ("pages", "versions", "entities", "listings", "vendors", "sites", "posts")
MAX_ID_BYTES = 500
_LISTING_KEYS = ("title", "currency", "vendor", "ships_from", "ships_to", "category")


@dataclass(frozen=True)
class Action:
    """One write. `doc` is always written; `on_insert` only when the id is new (first-seen times);
    `create_only` actions leave an existing document untouched (page versions)."""

    kind: str
    id: str
    doc: dict[str, Any]
    on_insert: dict[str, Any] = field(default_factory=dict)
    replace: bool = False  # write `doc` whole instead of merging it into the stored document
    create_only: bool = False


def doc_key(raw_id: str) -> str:
    """The stored id for a natural id: itself, or its SHA-256 when too long for Elasticsearch."""
    if len(raw_id.encode("utf-8")) <= MAX_ID_BYTES:
        return raw_id
    return "sha256:" + hashlib.sha256(raw_id.encode("utf-8")).hexdigest()


def iso(timestamp: str) -> str:
    """An ISO 8601 time in UTC, to the second: the one form that sorts as text in both backends."""
    parsed = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat(timespec="seconds")


def record_document(record: PageRecord) -> dict[str, Any]:
    """The JSON record of one page: crawl context, page fields and extraction (everything but the bytes)."""
    found = record.extraction
    return {
        "document_version": DOCUMENT_VERSION,
        "id": record.doc_id,
        "url": record.url,
        "site": record.site,
        "fetched_at": record.fetched_at,
        "status": record.status,
        "depth": record.depth,
        "title": found.title,
        "text": found.text,
        "content_type": record.content_type,
        "encoding": record.encoding,
        "sha256": record.sha256,
        "out_links": list(found.links),
        "onion_links": list(found.onion_links),
        "seed_tags": list(record.seed_tags),
        "case": record.case,
        **extraction_document(found),
        **record.own_fields(),
    }


def extraction_document(found: PageExtraction) -> dict[str, Any]:
    """The extraction's findings as JSON data: what `oniondex extract` prints and the record holds."""
    return {
        "language": found.language,
        "tags": list(found.tags),
        "entities": [entity.as_dict() for entity in found.entities],
        "listings": [listing.as_dict() for listing in found.listings],
        "vendors": [vendor.as_dict() for vendor in found.vendors],
    }


def actions_for(page: dict[str, Any]) -> Iterator[Action]:
    """Every write one page record (see `record_document`) causes, page first."""
    if int(page.get("document_version", 1)) > DOCUMENT_VERSION:
        raise ValueError(f"record of document_version {page['document_version']}: newer than this oniondex")
    if page.get("doc_kind") == "post":
        from oniondex.index.posts import post_actions

        return post_actions(page)
    return page_actions(page)


def page_actions(page: dict[str, Any]) -> Iterator[Action]:
    """Every write one page record causes, page first."""
    seen = iso(page["fetched_at"])
    url, site = page["url"], page["site"]
    yield Action("pages", doc_key(page.get("id") or url), page_document(page), replace=True)
    if page.get("sha256"):
        version = {
            "url": url,
            "site": site,
            "sha256": page["sha256"],
            "fetched_at": seen,
            "title": page.get("title", ""),
        }
        yield Action("versions", doc_key(f"{url}#{page['sha256']}"), {**version, "record": page}, create_only=True)
    vendors = _vendor_names(page)
    for entity in page.get("entities", []):
        doc = {
            "type": entity["type"],
            "value": entity["value"],
            "url": url,
            "site": site,
            "snippet": str(entity.get("snippet", ""))[:500],
            "vendor": vendors,
            "last_seen": seen,
        }
        yield _upsert("entities", f"{entity['type']}|{entity['value']}|{url}", doc, seen)
    for listing in page.get("listings", []):
        doc = {k: str(listing.get(k) or "") for k in _LISTING_KEYS}
        doc.update(price=_price(listing.get("price")), url=listing.get("url") or url, site=site, last_seen=seen)
        yield _upsert("listings", f"{doc['url']}|{doc['title']}|{doc['vendor']}", doc, seen)
    for vendor in page.get("vendors", []):
        if vendor.get("name"):
            doc = {
                "name": vendor["name"],
                "site": site,
                "url": url,
                "fingerprints": sorted({str(fp) for fp in vendor.get("pgp", ()) if fp}),
                "payouts": _identifier_values(vendor.get("payout", ())),
                "handles": _identifier_values(vendor.get("contacts", ())),
                "last_seen": seen,
            }
            yield _upsert("vendors", f"{site}|{vendor['name']}", doc, seen)
    site_doc: dict[str, Any] = {"site": site, "last_seen": seen}
    if page.get("depth", 0) == 0 or url.rstrip("/").endswith(site):
        site_doc["title"] = page.get("title", "")
    yield _upsert("sites", site, site_doc, seen)


def page_document(page: dict[str, Any]) -> dict[str, Any]:
    """The searchable page: typed fields plus the whole record (stored, not indexed) for `get`."""
    entities = page.get("entities", [])
    listings = page.get("listings", [])
    return {
        "url": page["url"],
        "site": page["site"],
        "title": page.get("title", ""),
        "text": page.get("text", ""),
        "language": page.get("language") or "und",
        "content_type": page.get("content_type", ""),
        "status": int(page.get("status", 200)),
        "depth": int(page.get("depth", 0)),
        "sha256": page.get("sha256", ""),
        "fetched_at": iso(page["fetched_at"]),
        "tags": list(page.get("tags", [])),
        "seed_tags": list(page.get("seed_tags", [])),
        "case": page.get("case", ""),
        "onion_links": list(page.get("onion_links", []))[:1000],
        "entity": sorted({e["value"] for e in entities}),
        "entity_type": sorted({e["type"] for e in entities}),
        "vendor": _vendor_names(page),
        "currency": sorted({str(x["currency"]) for x in listings if x.get("currency")}),
        "price": sorted({p for x in listings if (p := _price(x.get("price"))) is not None}),
        "record": page,
    }


def _upsert(kind: str, raw_id: str, doc: dict[str, Any], seen: str) -> Action:
    return Action(kind, doc_key(raw_id), doc, on_insert={"first_seen": seen})


def _vendor_names(page: dict[str, Any]) -> list[str]:
    names = {v.get("name") for v in page.get("vendors", [])} | {x.get("vendor") for x in page.get("listings", [])}
    return sorted(str(n) for n in names if n)


def _identifier_values(identifiers: list[dict[str, str]]) -> list[str]:
    """The values of a vendor's contacts or payout addresses ({"type", "value"} each): what analysts pivot on."""
    return sorted({str(x["value"]) for x in identifiers if x.get("value")})


def _price(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
