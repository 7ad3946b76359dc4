"""Listings through a site profile: the profile's selectors say where each field is."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from oniondex.listings.generic import GenericBlock, content_root, leaf, shown_name
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

    def __init__(self, page: Page, profile: Profile, section: Section, element: etree._Element) -> None:
        self.page, self.profile, self.section, self.element = page, profile, section, element

    @cached_property
    def _pairs(self) -> dict[str, Pair]:
        labels = self.profile.labels
        return harvest(self.element, lambda text: labels.get(label_key(text)))

    @cached_property
    def _generic(self) -> GenericBlock:
        """The generic reading of the same element, for the fields the profile leaves out."""
        if self.section is self.profile.listing and self.page.tree is not None:
            return GenericBlock(self.page, content_root(self.page.tree), whole_page=True)
        return GenericBlock(self.page, self.element)

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


def profiled_blocks(page: Page, profile: Profile) -> list[ProfiledBlock]:
    """List items where the profile's `lists` finds any; else the one listing of a listing page."""
    if page.tree is None:
        return []
    if profile.lists is not None:
        items = profile.lists.item(page.tree)
        if items:
            return [ProfiledBlock(page, profile, profile.lists, item) for item in items]
    section = profile.listing
    if section is None or (section.require is not None and not section.require(page.tree)):
        return []
    items = section.item(page.tree)
    return [ProfiledBlock(page, profile, section, items[0])] if items else []
