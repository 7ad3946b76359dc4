"""`extract_page(page)`: everything oniondex reads out of one page, as one typed record.

The one extraction the crawl's pipelines, `oniondex extract`, reindex and the benchmarks all call: the
page fields the index needs (title, text, links), language, drug-trade tags, entities, listings and the
vendors the page presents. Pure: no Scrapy, no network, no clock except the default `fetched_at`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from oniondex.entities.extract import Entity, extract_entities
from oniondex.entities.report import page_language
from oniondex.listings.extract import listing_records
from oniondex.onion import is_valid_onion
from oniondex.tagging import TagDecision, page_tag_result
from oniondex.vendors.records import vendor_records

if TYPE_CHECKING:
    from oniondex.listings.profiles import Profile
    from oniondex.listings.records import ListingRecord
    from oniondex.page import Page
    from oniondex.vendors.records import VendorRecord

# Indexed text is capped: enough for search and snippets, bounded whatever a page sends.
MAX_TITLE_CHARS = 1_000
MAX_TEXT_CHARS = 500_000
_NETLOC_RE = re.compile(r"[^/]*//[^/?#]*")


@dataclass(frozen=True)
class PageExtraction:
    """What one page says. The empty default stands for a page not (yet) extracted."""

    title: str = ""
    text: str = ""
    links: tuple[str, ...] = ()
    onion_links: tuple[str, ...] = ()  # other onion sites this page links to, sorted
    language: str = "und"
    tags: tuple[str, ...] = ()
    tag_decisions: tuple[TagDecision, ...] = ()  # the evidence behind each tag
    entities: tuple[Entity, ...] = ()
    listings: tuple[ListingRecord, ...] = ()
    vendors: tuple[VendorRecord, ...] = ()


def extract_page(
    page: Page,
    fetched_at: str | None = None,
    profiles: list[Profile] | None = None,
    *,
    with_listings: bool = True,
) -> PageExtraction:
    """Extract one page. `fetched_at` (ISO 8601, default now) becomes every record's seen time;
    `profiles` are the site profiles to try (default: profiles/; `[]` forces generic extraction);
    `with_listings=False` skips listings and vendors (ONIONDEX_LISTINGS_ENABLED)."""
    seen = fetched_at or datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    entities = tuple(extract_entities(page, seen))
    listings = tuple(listing_records(page, seen, profiles)) if with_listings else ()
    vendors = tuple(vendor_records(page, list(entities), list(listings), seen, profiles)) if with_listings else ()
    links = tuple(page.links)
    tagged = page_tag_result(page)
    return PageExtraction(
        title=page.title[:MAX_TITLE_CHARS],
        text=page.text[:MAX_TEXT_CHARS],
        links=links,
        onion_links=_onion_links(links, page.host),
        language=page_language(page),
        tags=tagged.tags,
        tag_decisions=tagged.decisions,
        entities=entities,
        listings=listings,
        vendors=vendors,
    )


def _onion_links(links: tuple[str, ...], own_host: str) -> tuple[str, ...]:
    # One urlsplit per distinct scheme://netloc, not per link (a market page links its own host hundreds of times).
    by_netloc = {_NETLOC_RE.match(link).group(): link for link in links}  # type: ignore[union-attr]
    hosts = {urlsplit(link).hostname or "" for link in by_netloc.values()}
    return tuple(sorted(host for host in hosts if host != own_host and is_valid_onion(host)))
