"""Listings through a site profile: the profile's selectors say where each field is."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from oniondex.listings.generic import GenericBlock, content_root, leaf, nested_offers, record_regions, shown_name
from oniondex.listings.money import Price, first_price
from oniondex.listings.pairs import Pair, harvest
from oniondex.listings.profiles import label_key
from oniondex.listings.text import element_text, squash

if TYPE_CHECKING:
    from lxml import etree

    from oniondex.listings.profiles import FieldRule, Profile, Section
    from oniondex.page import Page


class ProfiledBlock:
    """One listing as a profile section reads it; one method per field."""

    def __init__(
        self,
        page: Page,
        profile: Profile,
        section: Section,
        element: etree._Element,
        nested: tuple[etree._Element, ...] = (),
    ) -> None:
        """`nested`: offers inside the item read on their own (the generic fill-in leaves them out)."""
        self.page, self.profile, self.section, self.element = page, profile, section, element
        self.nested = nested

    @cached_property
    def _pairs(self) -> dict[str, Pair]:
        labels = self.profile.labels
        return harvest(self.element, lambda text: labels.get(label_key(text)))

    @cached_property
    def _generic(self) -> GenericBlock:
        """The generic reading of the same element, for the fields the profile leaves out."""
        if self.section is self.profile.listing and self.page.tree is not None:
            return GenericBlock(self.page, content_root(self.page.tree), whole_page=True)
        return GenericBlock(self.page, self.element, nested=self.nested)

    def _value(self, name: str) -> str:
        rule = self.section.fields.get(name)
        if rule is None:
            return getattr(self._generic, name)() if self.profile.fill_in else ""
        return self._apply(name, rule)

    def _apply(self, name: str, rule: FieldRule) -> str:
        if rule.css is not None:
            found = rule.css(self.element)
            if not found:
                return ""
            value = found[0].get(rule.attr, "") if rule.attr else element_text(found[0])
        elif rule.labels:
            pair = self._pairs.get(name)
            value = pair.value if pair else ""
        else:
            value = element_text(self.element)
        if rule.regex is not None:
            match = rule.regex.search(value)
            value = (match.group(1) if match.groups() else match.group(0)) if match else ""
        return squash(value)

    @cached_property
    def price(self) -> Price | None:
        found = first_price(self._value("price"))
        if found is None and self.profile.fill_in:
            return self._generic.price  # e.g. a listing with a tier table and no price row
        return found

    def title(self) -> str:
        return self._value("title")

    def url(self) -> str:
        href = self._value("url")
        return urljoin(self.page.url, href) if href else self.page.url

    def amount(self) -> float | None:
        return self.price.amount if self.price else None

    def currency(self) -> str:
        return self.price.currency if self.price else ""

    def unit(self) -> str:
        return self._value("unit")

    def vendor(self) -> str:
        return shown_name(self._value("vendor"))

    def category(self) -> str:
        value = leaf(self._value("category"))
        pattern = self.section.category_from_url
        if not value and pattern is not None:
            match = pattern.search(self.page.url)
            value = match.group(1) if match else ""
        return value

    def ships_from(self) -> str:
        return self._value("ships_from")

    def ships_to(self) -> str:
        return self._value("ships_to")


def profiled_blocks(page: Page, profile: Profile) -> list[ProfiledBlock | GenericBlock]:
    """List items where the profile's `lists` finds any; else the one listing of a listing page. With
    `fill_in`, offers nested in an item (a carousel of the seller's other offers) that the profile's
    rules do not reach are read generically, after their item."""
    if page.tree is None:
        return []
    if profile.lists is not None:
        items = profile.lists.item(page.tree)
        if items:
            return _list_blocks(page, profile, profile.lists, items)
    section = profile.listing
    if section is None or (section.require is not None and not section.require(page.tree)):
        return []
    items = section.item(page.tree)
    return [ProfiledBlock(page, profile, section, items[0])] if items else []


def _list_blocks(
    page: Page, profile: Profile, section: Section, items: list[etree._Element]
) -> list[ProfiledBlock | GenericBlock]:
    regions = record_regions(page) if profile.fill_in else None
    if regions is None:
        return [ProfiledBlock(page, profile, section, item) for item in items]
    chosen = set(items)
    inside: dict[etree._Element, list[etree._Element]] = {}
    for anchor in regions.anchors:
        item = next((e for e in (anchor, *anchor.iterancestors()) if e in chosen), None)
        if item is not None:
            inside.setdefault(item, []).append(anchor)
    out: list[ProfiledBlock | GenericBlock] = []
    for item in items:
        block = ProfiledBlock(page, profile, section, item)
        offer = block.url() if "url" in section.fields else ""
        nested = nested_offers(page, item, offer, inside.get(item, []), regions.below, regions.linked)
        if not nested:
            out.append(block)
            continue
        block = ProfiledBlock(page, profile, section, item, nested=tuple(nested))
        out.append(block)
        out.extend(GenericBlock(page, n, outer_vendor=block.vendor()) for n in nested)
    return out
