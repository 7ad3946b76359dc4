"""Listings from pages no profile covers.

A listing block is the largest element around one price that holds no other price: a table row, a
card, a <dl>, a list item. A page whose only price has no such block smaller than the page is one
listing page. Inside a block, fields come from label/value pairs first (`pairs.harvest`), then from
column headers, vendor links, "by X" phrases, shipping phrases and the text after the price. Offers that
name no vendor take the page's (a vendor page's URL, a one-vendor shop's heading) or the contact the ad gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property, lru_cache
from itertools import chain
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from lxml import etree

from oniondex.entities.contacts import (
    find_messengers,
    find_phones,
    find_telegram,
    find_telegram_bare,
    mentions_telegram,
)
from oniondex.listings.memo import short_text_cache
from oniondex.listings.money import Price, find_prices, first_price
from oniondex.listings.pairs import Pair, harvest, segments
from oniondex.listings.text import element_text, squash, text_holders, text_nodes
from oniondex.listings.textindex import page_index
from oniondex.listings.urls import absolute
from oniondex.listings.vocabulary import (
    UNIT_RE,
    VENDOR_PHRASE_RE,
    category_from_url,
    field_of_label,
    shipping,
    vendor_from_url,
)

if TYPE_CHECKING:
    from oniondex.page import Page

# Text is filtered in Python: ancestor tests in an XPath cost a walk per text node, while only the few
# nodes that hold a price need one.
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "select", "option"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5")
_CHROME = frozenset({"header", "nav", "footer", "aside"})
_TITLE_SEPARATORS = (" — ", " – ", " | ", " - ", " :: ")
MAX_BLOCKS = 500
COIN_CODES = frozenset({"BTC", "XMR", "LTC", "USDT"})
_HIDDEN_HINT_RE = re.compile(
    r"dropdown|tooltip|popover|hover|convert|conversion|exchange|\bhidden\b|d-none|invisible|sr-only|collapse"
)
_MARKED_RE = re.compile(r"(?<![\w-])(?:active|selected|current)(?![\w-])")
_DIGITS_RE = re.compile(r"\d+")
_DIGIT_RE = re.compile(r"\d")
TRAIL_RE = re.compile(r"\s+(?:/|>|»|›)\s+")
# A link to a messenger is how to reach the seller, never the offer's own page.
_CONTACT_LINK_RE = re.compile(
    r"https?://(?:www\.)?(?:t\.me|telegram\.(?:me|dog)|wa\.me|open\.kakao\.com)/", re.IGNORECASE
)
# How a one-vendor shop names itself (the name in one of the groups).
_SHOP_NAME_RE = re.compile(
    r"^\s*(\S{2,40}?)['’]s\s+(?:shop|store)\b"
    r"|\b(?:shop|store)\s+of\s+(\S{2,40})\s*$"
    r"|(?:shop|store|магазин)\s*[«\"“„]([^»\"”“]{2,40})[»\"”“]"
    r"|^\s*(\S{2,40}?)(?:네)?\s*(?:상점|샵)\s*$",
    re.IGNORECASE,
)
# A phone number names the seller only right after one of these ("문의 010-…", "Contact: +1 …").
_PHONE_CUE_RE = re.compile(r"(?:문의|연락처?|전화|contact|call|phone|tel|телефон|тел|звоните)\W{0,3}$", re.IGNORECASE)
_PRICE_SEPARATORS = "-–—|:@("  # what sets off a price that ends a link's text from its title
DASH_SPLIT_RE = re.compile(r"\s+[-–—|]\s+|\s*[-–—|]\s*$|^\s*[-–—|]\s+")
# A price "stands alone" when its text holds little else: "from", a unit, a colon ("от 1 771 руб / 1г").
_ALONE_SLACK = 16
# A list of this many category links is a menu, not a listing's breadcrumb.
_MENU_LINKS = 5
_COUNT_SUFFIX_RE = re.compile(r"\s*[(\[]\s*[\d.,%★☆+\s-]*[)\]]?\s*$")


def leaf(label: str) -> str:
    """The most specific part of a category trail: 'Drugs > Stimulants' -> 'Stimulants'."""
    return squash(TRAIL_RE.split(squash(label))[-1])


@short_text_cache(4096)  # seller links repeat on a page, in its blocks and in its vendor pass
def shown_name(text: str) -> str:
    """A seller's name as a link shows it, without the rating or sales count after it: 'bob (951)'."""
    return _COUNT_SUFFIX_RE.sub("", squash(text)).lstrip("@").strip()


class GenericBlock:
    """One listing block; one method per field."""

    def __init__(
        self,
        page: Page,
        element: etree._Element,
        whole_page: bool = False,
        nested: tuple[etree._Element, ...] = (),
        outer_vendor: str = "",
    ) -> None:
        """`nested`: offers inside this record that are read on their own (left out of this one);
        `outer_vendor`: the vendor of the record this one is nested in, for when it names none."""
        self.page, self.element, self.whole_page = page, element, whole_page
        self.outer_vendor = outer_vendor
        self._left_out = {e for n in nested for e in n.iter()}

    @cached_property
    def text(self) -> str:
        return element_text(self.element, lines=True)

    @cached_property
    def _segments(self) -> list[str]:
        """The text's segments, read by the vendor, category and shipping fields."""
        return segments(self.text)

    @cached_property
    def pairs(self) -> dict[str, Pair]:
        found = harvest(self.element, text=self.text)
        for name, pair in self._column_pairs().items():
            found.setdefault(name, pair)
        return found

    def _column_pairs(self) -> dict[str, Pair]:
        """A table row under a header row: each cell takes its column's label."""
        if self.element.tag != "tr":
            return {}
        table = next(self.element.iterancestors("table"), None)
        header = _header_row(table) if table is not None else None
        if header is None or header is self.element:
            return {}
        cells = [c for c in self.element if c.tag in ("td", "th")]
        out: dict[str, Pair] = {}
        for label, cell in zip(header, cells, strict=False):
            name = field_of_label(label)
            if name and name not in out:
                out[name] = Pair(name, label, element_text(cell), cell)
        return out

    @cached_property
    def prices(self) -> list[Price]:
        """The prices shown in the block outside its title, hover conversions and hidden parts."""
        return [price for price, _ in self._priced]

    @cached_property
    def _priced(self) -> list[tuple[Price, bool]]:
        """Each price with whether it stands alone in its text (a figure, not a word in a sentence)."""
        seller_links = {id(a) for href, _, a in self._links if vendor_from_url(href)}
        title_links = {id(a) for a in self._title_elements}
        title = self._title
        found: list[tuple[Price, bool]] = []
        tucked: dict[etree._Element, bool] = {}
        texts = [
            (at, text, shown)
            for at, text in enumerate(text_nodes(self.element))
            if _DIGIT_RE.search(text) and (shown := find_prices(text))  # most text nodes hold no digit
        ]
        holders = text_holders(self.element, [at for at, _, _ in texts])
        for holder, (_, text, prices) in zip(holders, texts, strict=True):
            if holder is None or _hidden_under(holder, self.element, _INVISIBLE):
                continue
            if holder in self._left_out or _is_conversion(holder, self.element, seller_links, tucked):
                continue
            if title and squash(text) in title and _within(holder, title_links, self.element):
                continue  # the title's own words ("Pack of 10 $5 pills" is a title, not a price)
            if self.whole_page and any(a.tag == "a" for a in _up_to(holder, self.element)):
                continue  # a price in a link on a listing's own page is a menu entry or another offer
            alone = len(squash(text)) - sum(len(p.text) for p in prices) <= _ALONE_SLACK
            found.extend((price, alone) for price in prices)
        return found

    @cached_property
    def price(self) -> Price | None:
        """The offer's own price: a labelled one, else the first price in a fiat currency (coin figures
        beside it are conversions) that stands alone (a price in a sentence, "delivery from 1000 rub",
        is not the offer's), else the first fiat one, else the first one."""
        pair = self.pairs.get("price")
        labelled = first_price(pair.value) if pair else None
        if labelled is not None:
            return labelled
        fiat = [(p, alone) for p, alone in self._priced if p.currency not in COIN_CODES]
        alone = [p for p, standalone in fiat if standalone]
        return (alone or [p for p, _ in fiat] or self.prices or [None])[0]

    @cached_property
    def _links(self) -> list[tuple[str, str, etree._Element]]:
        out = []
        for a in self.element.iter("a"):
            href = a.get("href")
            if href and not href.startswith(("#", "javascript:", "mailto:")) and a not in self._left_out:
                out.append((absolute(self.page.url, href), link_title(a), a))
        return out

    @cached_property
    def title_link(self) -> tuple[str, str] | None:
        """The link to the offer: of the links that name no vendor or category, the target linked most
        often in the block (picture, title and buy button share it), with its longest text."""
        counts: dict[str, int] = {}  # a dict: a Counter costs more to build than a block's few links
        for href, _, _ in self._links:
            counts[href] = counts.get(href, 0) + 1
        here = self.page.url.rstrip("/")
        candidates = [
            (href, text)
            for href, text, _ in self._links
            if len(text) >= 2
            and not vendor_from_url(href)
            and not category_from_url(href)
            and href.rstrip("/") != here
            and not _CONTACT_LINK_RE.match(href)
        ]
        if not candidates:
            return None
        return max(candidates, key=lambda c: (counts[c[0]], len(c[1])))

    @cached_property
    def _title_elements(self) -> list[etree._Element]:
        if self.title_link is None:
            return []
        href, text = self.title_link
        return [a for h, t, a in self._links if h == href and t == text]

    def title(self) -> str:
        return self._title

    @cached_property
    def _title(self) -> str:
        pair = self.pairs.get("title")
        if pair:
            return pair.value
        if self.whole_page:
            return _page_heading(self.page, self.element)
        if self.title_link:
            return self.title_link[1]
        heading = next((h for h in self.element.iter(*_HEADINGS, "b", "strong")), None)
        text = element_text(heading) if heading is not None else ""
        if heading is not None and not find_prices(text):
            return text
        return self._before_price()

    def _before_price(self) -> str:
        """The words before the first price on its line, set off from it by a dash: 'Mephedrone 1 g — 2500
        rub' (read from the text, not from `price`, which leaves the title's own words out)."""
        for line in self.text.split("\n"):
            prices = find_prices(line)
            if prices:
                return _set_off_before(line, prices[0], "-–—:|")
        return ""

    def url(self) -> str:
        pair = self.pairs.get("title")
        link = pair.element.find(".//a") if pair is not None and pair.element is not None else None
        if link is not None and link.get("href"):
            return absolute(self.page.url, link.get("href", ""))
        if self.whole_page or self.title_link is None:
            return self.page.url
        return self.title_link[0]

    def currency(self) -> str:
        return self.price.currency if self.price else ""

    def amount(self) -> float | None:
        return self.price.amount if self.price else None

    def unit(self) -> str:
        pair = self.pairs.get("unit")
        if pair:
            return pair.value
        if self.price is None:
            return ""
        line = next((line for line in self.text.split("\n") if self.price.text in line), "")
        after = line[line.find(self.price.text) + len(self.price.text) :] if line else ""
        match = UNIT_RE.match(after)
        return match["unit"].strip(" .,;:") if match else ""

    def vendor(self) -> str:
        pair = self.pairs.get("vendor")
        if pair:
            link = pair.element.find(".//a") if pair.element is not None and pair.element.tag != "a" else None
            if link is not None:
                return shown_name(element_text(link))
            value = shown_name(pair.value)
            return self._linked_name(value) or _clean_name(value)
        named = [(vendor_from_url(href), shown_name(text)) for href, text, _ in self._links if text]
        named = [(from_url, text) for from_url, text in named if from_url and text]
        # A link whose text is the name in its URL first: menus link /vendor/reviews too.
        for from_url, text in named:
            if text.casefold() == from_url.casefold():
                return text
        if named and not self.whole_page:
            return named[0][1]
        for segment in self._segments:
            match = VENDOR_PHRASE_RE.search(segment)
            if match:
                return _clean_name(match["name"])
        # Offers that name no vendor: the record they sit in, a vendor's own page (/vendor/NAME), a one-vendor
        # shop's heading, else the contact an ad gives (a Telegram handle, a messenger id, a phone number).
        return self.outer_vendor or vendor_from_url(self.page.url) or shop_name(self.page) or contact_name(self.text)

    def _linked_name(self, value: str) -> str:
        """The text of a link in the block that a labelled vendor value starts with: 'Vendor: bob Level 5'
        where 'bob' is the link, the rest a badge or rating beside it."""
        for _, text, _ in self._links:
            name = shown_name(text)
            if len(name) >= 2 and value.startswith(name) and value[len(name) : len(name) + 1] in ("", " "):
                return name
        return ""

    def category(self) -> str:
        """The most specific label shown: a labelled one, a category link, an 'A / B' trail, the words
        after the price ("From: 20 $ - Stimulants -"); else the category the page is filtered to."""
        pair = self.pairs.get("category")
        if pair:
            return leaf(pair.value)
        for href, text, link in self._links:
            if category_from_url(href) and text and text != (self.title_link or ("", ""))[1]:
                if self.whole_page and _in_menu(link):
                    continue
                return leaf(text)
        title = self.title()
        for segment in self._segments:
            if title and (segment in title or title in segment):
                continue
            if TRAIL_RE.search(segment) and all(_label_like(part) for part in TRAIL_RE.split(segment)):
                return leaf(segment)
        after = self._after_price()
        if after:
            return after
        return "" if self.whole_page else (page_category(self.page) or category_from_url(self.page.url) or "")

    def _after_price(self) -> str:
        if self.price is None or self.whole_page:
            return ""
        line = next((line for line in self.text.split("\n") if self.price.text in line), "")
        rest = line[line.find(self.price.text) + len(self.price.text) :] if line else ""
        parts = [p.strip() for p in DASH_SPLIT_RE.split(rest)]
        if len(parts) < 2 or parts[0]:
            return ""  # the words must be set off from the price by a dash
        word = next((p for p in parts[1:] if p), "")
        if word in (self.ships_from(), self.ships_to()) or any(shipping(p) for p in parts):
            return ""
        return word if _label_like(word) and field_of_label(word) is None else ""

    @cached_property
    def _shipping(self) -> tuple[str, str]:
        title = self.title()
        for segment in self._segments:
            if title and segment in title:
                continue
            prices = find_prices(segment)
            # "From: 20 $" is a from-price: only the words after a segment's last price can name a route
            # (a table row is one segment: "Cocaine $65 / gram  Ships from NL to EU").
            found = shipping(segment[prices[-1].end :] if prices else segment)
            if found:
                return found
        return "", ""

    def ships_from(self) -> str:
        pair = self.pairs.get("ships_from")
        return pair.value if pair else self._shipping[0]

    def ships_to(self) -> str:
        pair = self.pairs.get("ships_to")
        return pair.value if pair else self._shipping[1]


def shop_name(page: Page) -> str:
    """The seller a one-vendor shop names in its heading or title: "IceKing's shop", "Store of bigsnow",
    "Магазин «Северный ветер»", "빙수네 상점"."""
    return "" if page.tree is None else _shop_name(page.tree, page.title)


@lru_cache(maxsize=2)  # asked by every block that names no vendor: keyed by the tree (hashed by identity)
def _shop_name(tree: etree._Element, title: str) -> str:
    heading = next(tree.iter("h1"), None)
    for text in (element_text(heading) if heading is not None else "", title):
        match = _SHOP_NAME_RE.search(text)
        if match:
            return squash(next(name for name in match.groups() if name))
    return ""


def contact_name(text: str) -> str:
    """The seller an ad names only by how to reach them: a Telegram handle ("텔레그램 문의 @x", "t.me/x", an
    @handle on a page that names Telegram), a messenger id (Wickr, Threema, Session, Kakao open chat), or a
    phone number right after a contact word ("문의 010-1234-5678"); as printed, without the @."""
    found = next(find_telegram(text), None)
    if found is None and mentions_telegram(text):
        found = next(find_telegram_bare(text), None)
    if found is None:
        found = next(find_messengers(text), None)
    if found is not None:
        printed = text[found.start : found.end]
        at = printed.casefold().rfind(found.value.casefold())
        return printed[at : at + len(found.value)] if at >= 0 else found.value
    for phone in find_phones(text):
        if _PHONE_CUE_RE.search(text, max(0, phone.start - 16), phone.start):
            return text[phone.start : phone.end].strip()
    return ""


def link_title(link: etree._Element) -> str:
    """A link's text as a title: a link that holds the title on one line and the price on another
    (a carousel tile) gives the first line without a price."""
    lines = element_text(link, lines=True).split("\n")
    if len(lines) == 1:
        return _without_price_after(lines[0])  # already squashed
    plain = [line for line in lines if not find_prices(line)]
    if plain and len(plain) < len(lines):
        return plain[0]
    return squash(" ".join(lines))


def _without_price_after(text: str) -> str:
    """A link text that ends in a price set off by a dash, bar, colon or bracket ("Heroin 1g - $120") is a
    title and the offer's price: the title is what comes before. A price inside the words stays ("10 $5 pills")."""
    if not _DIGIT_RE.search(text):
        return text
    prices = find_prices(text)
    if not prices or text[prices[-1].end :].strip(" )]"):
        return text
    return _set_off_before(text, prices[-1], _PRICE_SEPARATORS) or text


def _set_off_before(text: str, price: Price, separators: str) -> str:
    """The words before `price` in `text` when one of `separators` sets them off from it, else ""."""
    head = text[: price.start].rstrip()
    if not head or head[-1] not in separators:
        return ""
    title = head[:-1].strip()
    return title if len(title) >= 2 and not find_prices(title) else ""


def listing_blocks(page: Page) -> list[GenericBlock]:
    """The blocks of a page, in document order; one whole-page block for a one-listing page."""
    if page.tree is None:
        return []
    regions = record_regions(page)
    if regions is None:
        return []
    if len(regions.records) >= 2:
        return regions.blocks(page)
    # Without repeated records, a price shown as a link (a rate ticker or a menu entry) is no offer.
    anchors = [a for a in regions.anchors if not any(e.tag == "a" for e in self_and_ancestors(a))]
    if not anchors:
        return []
    below = regions.below
    blocks = [GenericBlock(page, b) for b in dict.fromkeys(_block_of(a, below) for a in anchors[:MAX_BLOCKS])]
    if not any(b.title_link for b in blocks) and not shop_name(page):
        # No repeated records and no link to a listing around a price: this page is the listing (unless
        # its heading names a one-vendor shop: then each price is one of the shop's offers).
        return [GenericBlock(page, content_root(page.tree), whole_page=True)]
    return blocks


class RecordRegions:
    """The repeated records of a list page and the offers nested in them (a carousel of the seller's
    other offers inside a card), computed once per page."""

    def __init__(self, page: Page, anchors: list[etree._Element]) -> None:
        self.anchors = anchors
        # How many anchors each element holds (a dict, not a Counter: a Counter's miss is a Python call).
        self.below: dict[etree._Element, int] = {}
        below = self.below
        for anchor in anchors:
            for element in (anchor, *anchor.iterancestors()):
                below[element] = below.get(element, 0) + 1
        self.linked = linked_elements(page.tree)
        kinds: dict[etree._Element, dict[tuple[str, str], int]] = {}
        of_anchor = {a: record_of(a, self.below, self.linked, kinds) for a in anchors[:MAX_BLOCKS]}
        self.records = list(dict.fromkeys(r for r in of_anchor.values() if r is not None))
        kept = set(self.records)
        # A record inside another record is one of its nested offers.
        self.outer: dict[etree._Element, etree._Element] = {}
        for record in self.records:
            top = next((e for e in record.iterancestors() if e in kept), None)
            if top is not None:
                while top in self.outer:
                    top = self.outer[top]
                self.outer[record] = top
        self.inside: dict[etree._Element, list[etree._Element]] = {}
        for anchor, record in of_anchor.items():
            if record is not None:
                self.inside.setdefault(self.outer.get(record, record), []).append(anchor)

    def blocks(self, page: Page) -> list[GenericBlock]:
        out: list[GenericBlock] = []
        for record in self.records:
            if record in self.outer:
                continue
            block = GenericBlock(page, record)
            offer = block.title_link[0] if block.title_link else ""
            nested = [r for r, top in self.outer.items() if top is record]
            nested += nested_offers(page, record, offer, self.inside.get(record, []), self.below, self.linked)
            nested = _outermost(list(dict.fromkeys(nested)))
            if not nested:
                out.append(block)
                continue
            block = GenericBlock(page, record, nested=tuple(nested))
            out.append(block)
            out.extend(GenericBlock(page, n, outer_vendor=block.vendor()) for n in nested)
        return out


def record_regions(page: Page) -> RecordRegions | None:
    """The page's price anchors, repeated records and nested offers; None on a page without prices."""
    if page.tree is None:
        return None
    anchors = price_anchors(page.tree)
    return RecordRegions(page, anchors) if anchors else None


def nested_offers(
    page: Page,
    record: etree._Element,
    offer_url: str,
    anchors: list[etree._Element],
    below: dict[etree._Element, int],
    linked: set[etree._Element],
) -> list[etree._Element]:
    """Offers inside one record that have a link of their own: a price whose nearest link holder links
    to another offer of the same URL shape as the record's own (`/item/12` beside `/item/7`), and not to
    the record's offer. Each one is the largest part around its price below the record that holds no
    other price and no link to the record's offer."""
    if not offer_url:
        return []
    shape = url_shape(offer_url)
    found: list[etree._Element] = []
    for anchor in anchors:
        holder = next((e for e in _up_to(anchor, record) if e in linked), None)
        if holder is None or holder is record:
            continue
        hrefs = {absolute(page.url, a.get("href", "")) for a in holder.iter("a") if a.get("href")}
        if offer_url in hrefs or not any(url_shape(h) == shape for h in hrefs):
            continue
        region = holder
        for parent in region.iterancestors():
            if parent is record or below.get(parent, 0) > 1 or _links_to(page, parent, offer_url):
                break
            region = parent
        found.append(region)
    return found


@short_text_cache(4096)  # a record's links are shaped once per page, not once per price in it
def url_shape(url: str) -> str:
    """A URL with its last path step and its digits blanked and only its query's keys: offers of one
    market share it (`/item/12?r=1` and `/item/7?r=1`), a buy or cart link does not."""
    parts = urlsplit(url)
    steps = parts.path.rstrip("/").split("/")
    steps[-1] = "*" if steps[-1] and "." not in steps[-1] else steps[-1]
    keys = sorted(k for k, _ in parse_qsl(parts.query, keep_blank_values=True))
    return _DIGITS_RE.sub("0", "/".join(steps)) + "?" + "&".join(keys)


def _links_to(page: Page, element: etree._Element, url: str) -> bool:
    return any(absolute(page.url, a.get("href", "")) == url for a in element.iter("a") if a.get("href"))


def _outermost(elements: list[etree._Element]) -> list[etree._Element]:
    chosen = set(elements)
    return [e for e in elements if not any(a in chosen for a in e.iterancestors())]


def _hidden_under(element: etree._Element, top: etree._Element | None, tags: frozenset[str]) -> bool:
    """Whether the element or an ancestor (up to `top`) is one of `tags` (text nobody reads as an offer)."""
    for e in self_and_ancestors(element):
        if e.tag in tags:
            return True
        if e is top:
            return False
    return False


def self_and_ancestors(element: etree._Element) -> Iterator[etree._Element]:
    """The element, then its ancestors, made one at a time (most walks stop early)."""
    return chain((element,), element.iterancestors())


def _up_to(element: etree._Element, top: etree._Element) -> list[etree._Element]:
    """The element and its ancestors up to and including `top`."""
    chain = [element]
    for ancestor in element.iterancestors():
        if chain[-1] is top:
            break
        chain.append(ancestor)
    return chain


def _within(element: etree._Element, ids: set[int], top: etree._Element) -> bool:
    return bool(ids) and any(id(e) in ids for e in _up_to(element, top))


def _in_menu(link: etree._Element) -> bool:
    """A link in page chrome (nav, header, footer, aside; a breadcrumb there still counts) or in a list
    of many category links: a menu, not this listing's category."""
    chain = list(link.iterancestors())
    marked = any("breadcrumb" in f"{e.get('class') or ''} {e.get('aria-label') or ''}".lower() for e in chain)
    if not marked and any(e.tag in _CHROME for e in chain):
        return True
    for ancestor in chain[:3]:
        count = sum(1 for a in ancestor.iter("a") if category_from_url(a.get("href") or ""))
        if count >= _MENU_LINKS:
            return True
    return False


def linked_elements(tree: etree._Element) -> set[etree._Element]:
    """Every element holding a link with visible text (a record must hold one: its title)."""
    out: set[etree._Element] = set()
    for link in page_index(tree).links:
        if _shows_text(link):
            element = link
            while element is not None and element not in out:  # `getparent` makes no iterator per link
                out.add(element)
                element = element.getparent()
    return out


def _shows_text(link: etree._Element) -> bool:
    """Whether some text in the element is not white space (an element without children shows its own
    text only: most links, read without `itertext`)."""
    if not len(link):
        text = link.text
        return text is not None and not text.isspace()
    return any(not text.isspace() for text in link.itertext())


def _signature(element: etree._Element) -> tuple[str, str]:
    """What sibling records share: the tag and the first class (cards with badges add classes after it)."""
    classes = (element.get("class") or "").split()
    return element.tag if isinstance(element.tag, str) else "", classes[0] if classes else ""


def record_of(
    anchor: etree._Element,
    below: dict[etree._Element, int],
    linked: set[etree._Element],
    kinds: dict[etree._Element, dict[tuple[str, str], int]] | None = None,
) -> etree._Element | None:
    """The repeated record around a price: the lowest ancestor that has at least one sibling of the same
    signature and both carry a price and a link (the MDR idea of repeated tag-path subtrees, reduced to
    one sibling comparison per level). `kinds` caches, per parent, the signatures of its priced and
    linked children, so a page costs O(prices x depth) and not O(prices x siblings)."""
    kinds = {} if kinds is None else kinds
    for element in self_and_ancestors(anchor):
        parent = element.getparent()
        if parent is None or element.tag in ("body", "html"):
            return None
        if element not in linked:
            continue
        counts = kinds.get(parent)
        if counts is None:
            counts = kinds[parent] = {}  # a dict: building a Counter per parent cost more than counting
            for s in parent:
                if s in below and s in linked:
                    signature = _signature(s)
                    counts[signature] = counts.get(signature, 0) + 1
        if counts.get(_signature(element), 0) > 1:
            return element
    return None


def price_anchors(tree: etree._Element) -> list[etree._Element]:
    """The elements whose own text shows a price, in page order (page chrome and scripts left out)."""
    return list(page_index(tree).anchors)


def _block_of(anchor: etree._Element, below: dict[etree._Element, int]) -> etree._Element:
    block = anchor
    for ancestor in anchor.iterancestors():
        if below.get(ancestor, 0) > 1 or ancestor.tag in ("main", "body", "html"):
            break
        block = ancestor
    # A table's unit is its row, even when the table holds one row only.
    row = next((a for a in anchor.iterancestors("tr")), None)
    if row is not None and block in (row, *row.iterancestors()):
        return row
    return block


def content_root(tree: etree._Element) -> etree._Element:
    main = tree.find(".//main")
    if main is not None:
        return main
    body = tree.find("body")
    return body if body is not None else tree


def _header_row(table: etree._Element) -> list[str] | None:
    for row in table.iter("tr"):
        cells = [c for c in row if c.tag in ("td", "th")]
        if cells and all(c.tag == "th" for c in cells) and len(cells) > 2:
            return [element_text(c) for c in cells]
        return None
    return None


def _page_heading(page: Page, root: etree._Element) -> str:
    headings = [h for h in root.iter(*_HEADINGS) if not any(a.tag in _CHROME for a in h.iterancestors())]
    texts = [element_text(h) for h in headings if element_text(h)]
    page_title = page.title
    for text in texts:
        if page_title.startswith(text) or text in page_title:
            return text
    if texts:
        return texts[0]
    for sep in _TITLE_SEPARATORS:
        if sep in page_title:
            return page_title.split(sep, 1)[0].strip()
    return page_title


def _is_conversion(
    holder: etree._Element, block: etree._Element, skip: set[int], tucked: dict[etree._Element, bool]
) -> bool:
    """Text in a seller link, or in a part shown only on hover or not at all (currency conversions);
    `tucked` remembers each element's `is_tucked_away` across the block's prices."""
    for element in self_and_ancestors(holder):
        hidden = tucked.get(element)
        if hidden is None:
            hidden = tucked[element] = is_tucked_away(element)
        if id(element) in skip or hidden:
            return True
        if element is block:
            return False
    return False


def is_tucked_away(element: etree._Element) -> bool:
    """Shown only on hover or click, or not at all: dropdowns, tooltips, collapsed and hidden parts."""
    classes, name, style = element.get("class"), element.get("id"), element.get("style")
    if not (classes or name or style):
        return element.get("hidden") is not None
    style = (style or "").replace(" ", "").lower()
    return _hints_hidden(classes or "", name or "") or "display:none" in style or element.get("hidden") is not None


@short_text_cache(4096)  # a page repeats its few class names on every card
def _hints_hidden(classes: str, name: str) -> bool:
    return bool(_HIDDEN_HINT_RE.search(f"{classes} {name}".lower()))


def _label_like(text: str) -> bool:
    """A short run of words without digits: a category name, not a sentence or a figure."""
    return 0 < len(text) <= 40 and len(text.split()) <= 4 and not any(c.isdigit() for c in text)


def page_category(page: Page) -> str:
    """The category a list page is filtered to: the marked (active, selected) entry of its category
    filter, from a category link."""
    if page.tree is None:
        return ""
    reading = page.reading
    # The element names that carry a marking class, from the page's one reading of its attributes: only
    # those elements are looked at (None: every element).
    tags = None if reading is None else frozenset(t for t, v in reading.class_attributes if _MARKED_RE.search(v))
    return _marked_category(page.tree, page.url, tags)


@lru_cache(maxsize=2)  # keyed by the tree (hashed by identity; a Page hashes its whole body)
def _marked_category(tree: etree._Element, url: str, tags: frozenset[str] | None) -> str:
    for element in _marked_entries(tree, tags):
        if any(a.tag == "nav" for a in element.iterancestors()):
            continue
        link = element if element.tag == "a" else element.find(".//a")
        if link is not None and category_from_url(absolute(url, link.get("href", ""))):
            return leaf(element_text(link))
    return ""


def _marked_entries(tree: etree._Element, tags: frozenset[str] | None) -> Iterator[etree._Element]:
    """The body's elements of class active / selected / current, in page order (options left out)."""
    if tags is not None and not tags:
        return
    body = tree.find("body")
    top = body if body is not None else tree
    for element in top.iter(*tags) if tags else top.iter(etree.Element):
        if element.tag != "option" and _MARKED_RE.search(element.get("class") or ""):
            yield element


def _clean_name(value: str) -> str:
    name = squash(value).split(" ")[0] if len(squash(value).split(" ")) > 3 else squash(value)
    return name.lstrip("@").strip(" .,;:()[]")
