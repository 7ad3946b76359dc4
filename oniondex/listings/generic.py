"""Listings from pages no profile covers.

A listing block is the largest element around one price that holds no other price: a table row, a
card, a <dl>, a list item. A page whose only price has no such block smaller than the page is one
listing page. Inside a block, fields come from label/value pairs first (`pairs.harvest`), then from
column headers, vendor links, "by X" phrases, shipping phrases and the text after the price.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from lxml import etree

from oniondex.listings.money import Price, find_prices, first_price
from oniondex.listings.pairs import Pair, harvest, segments
from oniondex.listings.text import element_text, squash
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

_TEXT_XPATH = etree.XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"
    " or ancestor::nav or ancestor::header or ancestor::footer or ancestor::select)]"
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5")
_CHROME = frozenset({"header", "nav", "footer", "aside"})
_TITLE_SEPARATORS = (" — ", " – ", " | ", " - ", " :: ")
MAX_BLOCKS = 500
COIN_CODES = frozenset({"BTC", "XMR", "LTC", "USDT"})
_BLOCK_TEXT_XPATH = etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"
    " or ancestor::select or ancestor::option)]"
)
_HIDDEN_HINT_RE = re.compile(
    r"dropdown|tooltip|popover|hover|convert|conversion|exchange|\bhidden\b|d-none|invisible|sr-only|collapse"
)
_MARKED_XPATH = etree.XPath(
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' active ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' selected ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' current ')][not(ancestor::nav)]"
)
TRAIL_RE = re.compile(r"\s+(?:/|>|»|›)\s+")
DASH_SPLIT_RE = re.compile(r"\s+[-–—|]\s+|\s*[-–—|]\s*$|^\s*[-–—|]\s+")
_COUNT_SUFFIX_RE = re.compile(r"\s*[(\[]\s*[\d.,%★☆+\s-]*[)\]]?\s*$")


def leaf(label: str) -> str:
    """The most specific part of a category trail: 'Drugs > Stimulants' -> 'Stimulants'."""
    return squash(TRAIL_RE.split(squash(label))[-1])


def shown_name(text: str) -> str:
    """A seller's name as a link shows it, without the rating or sales count after it: 'bob (951)'."""
    return _COUNT_SUFFIX_RE.sub("", squash(text)).lstrip("@").strip()


class GenericBlock:
    """One listing block; one method per field."""

    def __init__(self, page: Page, element: etree._Element, whole_page: bool = False) -> None:
        self.page, self.element, self.whole_page = page, element, whole_page

    @cached_property
    def text(self) -> str:
        return element_text(self.element, lines=True)

    @cached_property
    def pairs(self) -> dict[str, Pair]:
        found = harvest(self.element)
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
        title_links = {id(a) for a in self._title_elements}
        title_links.update(id(a) for href, _, a in self._links if vendor_from_url(href))
        found: list[Price] = []
        for node in _BLOCK_TEXT_XPATH(self.element):
            text = str(node)
            if not text.strip():
                continue
            holder = node.getparent()
            if holder is not None and node.is_tail:
                holder = holder.getparent()
            if holder is None or _is_conversion(holder, self.element, title_links):
                continue
            found.extend(find_prices(text))
        return found

    @cached_property
    def price(self) -> Price | None:
        """The offer's own price: a labelled one, else the first price in a fiat currency (coin figures
        beside it are conversions), else the first one."""
        pair = self.pairs.get("price")
        labelled = first_price(pair.value) if pair else None
        if labelled is not None:
            return labelled
        fiat = [p for p in self.prices if p.currency not in COIN_CODES]
        return (fiat or self.prices or [None])[0]

    @cached_property
    def _links(self) -> list[tuple[str, str, etree._Element]]:
        return [
            (urljoin(self.page.url, a.get("href", "")), element_text(a), a)
            for a in self.element.iter("a")
            if a.get("href") and not a.get("href", "").startswith(("#", "javascript:", "mailto:"))
        ]

    @cached_property
    def title_link(self) -> tuple[str, str] | None:
        """The link to the offer: of the links that name no vendor or category, the target linked most
        often in the block (picture, title and buy button share it), with its longest text."""
        counts = Counter(href for href, _, _ in self._links)
        here = self.page.url.rstrip("/")
        candidates = [
            (href, text)
            for href, text, _ in self._links
            if len(text) >= 2 and not vendor_from_url(href) and not category_from_url(href) and href.rstrip("/") != here
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
        heading = next((h for h in self.element.iter(*_HEADINGS)), None)
        return element_text(heading) if heading is not None else ""

    def url(self) -> str:
        pair = self.pairs.get("title")
        link = pair.element.find(".//a") if pair is not None and pair.element is not None else None
        if link is not None and link.get("href"):
            return urljoin(self.page.url, link.get("href", ""))
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
            return shown_name(element_text(link)) if link is not None else _clean_name(shown_name(pair.value))
        named = [(vendor_from_url(href), shown_name(text)) for href, text, _ in self._links if text]
        named = [(from_url, text) for from_url, text in named if from_url and text]
        # A link whose text is the name in its URL first: menus link /vendor/reviews too.
        for from_url, text in named:
            if text.casefold() == from_url.casefold():
                return text
        if named and not self.whole_page:
            return named[0][1]
        for segment in segments(self.text):
            match = VENDOR_PHRASE_RE.search(segment)
            if match:
                return _clean_name(match["name"])
        return ""

    def category(self) -> str:
        """The most specific label shown: a labelled one, a category link, an 'A / B' trail, the words
        after the price ("From: 20 $ - Stimulants -"); else the category the page is filtered to."""
        pair = self.pairs.get("category")
        if pair:
            return leaf(pair.value)
        for href, text, _ in self._links:
            if category_from_url(href) and text and text != (self.title_link or ("", ""))[1]:
                return leaf(text)
        title = self.title()
        for segment in segments(self.text):
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
        for segment in segments(self.text):
            if title and segment in title:
                continue
            found = shipping(segment) if not find_prices(segment) else None
            if found:
                return found
        return "", ""

    def ships_from(self) -> str:
        pair = self.pairs.get("ships_from")
        return pair.value if pair else self._shipping[0]

    def ships_to(self) -> str:
        pair = self.pairs.get("ships_to")
        return pair.value if pair else self._shipping[1]


def listing_blocks(page: Page) -> list[GenericBlock]:
    """The blocks of a page, in document order; one whole-page block for a one-listing page."""
    if page.tree is None:
        return []
    anchors = _price_anchors(page.tree)
    if not anchors:
        return []
    below: Counter[etree._Element] = Counter()
    for anchor in anchors:
        for element in (anchor, *anchor.iterancestors()):
            below[element] += 1
    linked = _linked_elements(page.tree)
    records = list(dict.fromkeys(r for a in anchors[:MAX_BLOCKS] if (r := _record_of(a, below, linked)) is not None))
    if len(records) >= 2:
        return [GenericBlock(page, r) for r in records]
    blocks = [GenericBlock(page, b) for b in dict.fromkeys(_block_of(a, below) for a in anchors[:MAX_BLOCKS])]
    if not any(b.title_link for b in blocks):
        # No repeated records and no link to a listing around a price: this page is the listing.
        return [GenericBlock(page, content_root(page.tree), whole_page=True)]
    return blocks


def _linked_elements(tree: etree._Element) -> set[etree._Element]:
    """Every element holding a link with visible text (a record must hold one: its title)."""
    out: set[etree._Element] = set()
    for link in tree.iter("a"):
        if link.get("href") and element_text(link):
            for element in (link, *link.iterancestors()):
                if element in out:
                    break
                out.add(element)
    return out


def _signature(element: etree._Element) -> tuple[str, str]:
    """What sibling records share: the tag and the first class (cards with badges add classes after it)."""
    classes = (element.get("class") or "").split()
    return element.tag if isinstance(element.tag, str) else "", classes[0] if classes else ""


def _record_of(
    anchor: etree._Element, below: Counter[etree._Element], linked: set[etree._Element]
) -> etree._Element | None:
    """The repeated record around a price: the lowest ancestor that has at least one sibling of the same
    signature and both carry a price and a link (the MDR idea of repeated tag-path subtrees, reduced to
    one sibling comparison per level, so a page costs O(prices x depth))."""
    for element in (anchor, *anchor.iterancestors()):
        parent = element.getparent()
        if parent is None or element.tag in ("body", "html"):
            return None
        if element not in linked:
            continue
        sig = _signature(element)
        twins = sum(1 for s in parent if s is not element and below[s] and s in linked and _signature(s) == sig)
        if twins:
            return element
    return None


def _price_anchors(tree: etree._Element) -> list[etree._Element]:
    anchors: dict[etree._Element, None] = {}
    for node in _TEXT_XPATH(tree):
        if not isinstance(node, etree._ElementUnicodeResult) or not find_prices(str(node)):
            continue
        parent = node.getparent()
        if node.is_tail and parent is not None:
            parent = parent.getparent()
        if parent is not None:
            anchors.setdefault(parent, None)
    return list(anchors)


def _block_of(anchor: etree._Element, below: Counter[etree._Element]) -> etree._Element:
    block = anchor
    for ancestor in anchor.iterancestors():
        if below[ancestor] > 1 or ancestor.tag in ("main", "body", "html"):
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


def _is_conversion(holder: etree._Element, block: etree._Element, skip: set[int]) -> bool:
    """Text in the title link, or in a part shown only on hover or not at all (currency conversions)."""
    for element in (holder, *holder.iterancestors()):
        if id(element) in skip or is_tucked_away(element):
            return True
        if element is block:
            return False
    return False


def is_tucked_away(element: etree._Element) -> bool:
    """Shown only on hover or click, or not at all: dropdowns, tooltips, collapsed and hidden parts."""
    hint = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    style = (element.get("style") or "").replace(" ", "").lower()
    return bool(_HIDDEN_HINT_RE.search(hint)) or "display:none" in style or element.get("hidden") is not None


def _label_like(text: str) -> bool:
    """A short run of words without digits: a category name, not a sentence or a figure."""
    return 0 < len(text) <= 40 and len(text.split()) <= 4 and not any(c.isdigit() for c in text)


@lru_cache(maxsize=8)
def page_category(page: Page) -> str:
    """The category a list page is filtered to: the marked (active, selected) entry of its category
    filter, from a category link."""
    if page.tree is None:
        return ""
    for element in _MARKED_XPATH(page.tree):
        link = element if element.tag == "a" else element.find(".//a")
        if link is not None and category_from_url(urljoin(page.url, link.get("href", ""))):
            return leaf(element_text(link))
    return ""


def _clean_name(value: str) -> str:
    name = squash(value).split(" ")[0] if len(squash(value).split(" ")) > 3 else squash(value)
    return name.lstrip("@").strip(" .,;:()[]")
