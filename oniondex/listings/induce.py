"""Wrapper induction: a site profile learned from one saved page and one offer's values.

`learn_profile(page, name, title=..., price=..., vendor=...)` finds the elements that hold the given
values, takes the repeated record around them (the generic extractor's sibling-signature rule), and writes
for each field the shortest tag.class path from the record that reaches the value in that record and in
the others; a value inside longer text ("From: 20 $ - Stimulants -") gets a regex from the separators
around it; a value after a label ("Vendor:") gets a label rule. A page with one offer gets a `listing`
section, a page of many a `lists` section. The result is a plain profile (profiles/README.md), checked
with `oniondex profile test`. Written here rather than taken from a library: scrapely is unmaintained
(Python 2) and autoscraper learns text-matching rules, not the record/field structure profiles describe.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from lxml import etree

from oniondex.listings.generic import record_of, record_regions, shown_name
from oniondex.listings.money import find_prices
from oniondex.listings.profiles import parse_profile
from oniondex.listings.text import element_text, squash
from oniondex.listings.vocabulary import field_of_label

if TYPE_CHECKING:
    from oniondex.listings.profiles import Profile
    from oniondex.page import Page

TEXT_FIELDS = ("title", "vendor", "category", "ships_from", "ships_to", "unit")
_CSS_IDENT_RE = re.compile(r"^-?[A-Za-z_][\w-]*$")


class InductionError(ValueError):
    """The page does not show the given values, or they do not make one offer."""


def learn_profile(page: Page, name: str, **values: str) -> Profile:
    """A profile from one page and one offer's values (`title` and `price` needed; `vendor`, `category`,
    `ships_from`, `ships_to`, `unit` optional)."""
    return parse_profile(learn_profile_data(page, name, **values), f"<learned {name}>")


def learn_profile_data(page: Page, name: str, **values: str) -> dict[str, Any]:
    """The profile as YAML-ready data (what `oniondex profile learn` writes)."""
    tree = page.tree
    if tree is None:
        raise InductionError("the page is not HTML")
    given = {k: squash(str(v)) for k, v in values.items() if v not in (None, "")}
    if not given.get("title") or not given.get("price"):
        raise InductionError("need at least --title and --price")
    body = tree.find("body") if tree.find("body") is not None else tree
    title_at = _element_showing(body, given["title"])
    if title_at is None:
        raise InductionError(f"no element shows the title {given['title']!r}")
    price_at = _price_element(body, given["price"], title_at)
    if price_at is None:
        raise InductionError(f"no element shows the price {given['price']!r}")
    record = _record(page, title_at, price_at)
    found = {"title": title_at, "price": price_at}
    for field_name in ("vendor", "category", "ships_from", "ships_to", "unit"):
        if field_name in given:
            at = _element_showing(record, given[field_name], near=title_at, used=set(found.values()))
            if at is not None:
                found[field_name] = at
    is_list = record is not body
    siblings = _siblings(record) if is_list else [record]
    fields: dict[str, Any] = {}
    for field_name, element in found.items():
        fields[field_name] = _field_rule(record, element, given[field_name], siblings, field_name)
    link = title_at if title_at.tag == "a" else next(title_at.iterancestors("a"), None)
    if link is None:
        link = next(title_at.iter("a"), None)
    if is_list and link is not None and link.get("href"):
        fields["url"] = _path(record, link, siblings) + " @href"
    item = _item_selector(record, siblings) if is_list else "body"
    section = {"item": item, "fields": fields}
    data: dict[str, Any] = {
        "name": name,
        "about": f"learned by `oniondex profile learn` from one page ({'list' if is_list else 'one listing'})",
        "priority": 20,
        "fill_in": True,
        "match": {"detect": [item if is_list else _detect(record, title_at)]},
    }
    if page.host and page.host.endswith(".onion"):
        data["match"]["hosts"] = [page.host]
    data["lists" if is_list else "listing"] = section
    _drop_rules_that_miss(page, data, record, given)
    return data


def _drop_rules_that_miss(page: Page, data: dict[str, Any], record: etree._Element, given: dict[str, str]) -> None:
    """Read the example record back with the learned rules; a rule that does not give the example's own
    value is dropped, so the generic reading fills that field in (`fill_in`)."""
    from oniondex.listings.profiled import ProfiledBlock

    section_name = "lists" if "lists" in data else "listing"
    fields = data[section_name]["fields"]
    for name in [n for n in fields if n in given and n not in ("title", "price")]:
        profile = parse_profile(data, "<learning>")
        section = profile.lists if section_name == "lists" else profile.listing
        block = ProfiledBlock(page, profile, section, record)
        if _norm(getattr(block, name)()) != _norm(given[name]):
            del fields[name]


def _norm(text: str) -> str:
    return squash(text).casefold()


def _element_showing(
    root: etree._Element, value: str, near: etree._Element | None = None, used: set[etree._Element] | None = None
) -> etree._Element | None:
    """The smallest element whose text is the value (or, failing that, contains it), nearest `near`."""
    want = _norm(value)
    whole_word = re.compile(rf"(?<!\w){re.escape(want)}(?!\w)")
    exact, containing = [], []
    for node in root.xpath(".//text()[not(ancestor::script or ancestor::style)] | .//@title | .//@alt"):
        text = _norm(str(node))
        if want not in text and not (want and text and text in want):
            continue
        element = node.getparent()
        if element is None:
            continue
        if isinstance(node, etree._ElementUnicodeResult) and node.is_attribute:
            continue  # attributes only confirm; the field's rule reads text
        for candidate in (element, *element.iterancestors()):
            shown = _norm(element_text(candidate))
            if shown == want or _norm(shown_name(element_text(candidate))) == want:
                exact.append(candidate)
                break
            if whole_word.search(shown):
                containing.append(candidate)
                break
            if len(shown) > 4 * len(want) + 40:
                break
    # Two fields with one value (ships from and to the same country) are two elements.
    pool = [e for e in exact if e not in (used or ())] or [e for e in containing if e not in (used or ())]
    if not pool:
        return None
    return min(pool, key=lambda e: _distance(e, near)) if near is not None else pool[0]


def _distance(a: etree._Element, b: etree._Element) -> int:
    up = {e: i for i, e in enumerate((a, *a.iterancestors()))}
    for j, e in enumerate((b, *b.iterancestors())):
        if e in up:
            return up[e] + j
    return 10_000


def _price_element(root: etree._Element, price: str, near: etree._Element) -> etree._Element | None:
    try:
        want = Decimal(price.replace(",", "").replace(" ", ""))
    except InvalidOperation as exc:
        raise InductionError(f"price {price!r} is not a number") from exc
    hits = []
    for node in root.xpath(".//text()[not(ancestor::script or ancestor::style)]"):
        for found in find_prices(str(node)):
            if Decimal(str(found.amount)) == want and node.getparent() is not None:
                holder = node.getparent()
                hits.append(holder.getparent() if node.is_tail and holder.getparent() is not None else holder)
    return min(hits, key=lambda e: _distance(e, near)) if hits else None


def _record(page: Page, title_at: etree._Element, price_at: etree._Element) -> etree._Element:
    """The repeated record holding both elements, or the page body for a one-offer page."""
    regions = record_regions(page)
    record = record_of(price_at, regions.below, regions.linked) if regions is not None else None
    body = page.tree.find("body")
    if record is None or title_at not in set(record.iter()):
        return body if body is not None else page.tree
    return record


def _step(element: etree._Element) -> str:
    classes = [c for c in (element.get("class") or "").split() if _CSS_IDENT_RE.match(c)]
    return f"{element.tag}.{classes[0]}" if classes else str(element.tag)


def _siblings(record: etree._Element) -> list[etree._Element]:
    parent = record.getparent()
    step = _step(record)
    return [s for s in parent if isinstance(s.tag, str) and _step(s) == step] if parent is not None else [record]


def _path(record: etree._Element, element: etree._Element, siblings: list[etree._Element]) -> str:
    """The shortest suffix of the tag.class path from `record` down to `element` whose first match in
    the record is the element and which matches in most of the record's siblings."""
    from lxml.cssselect import CSSSelector

    chain = [e for e in (element, *element.iterancestors()) if e is not record]
    chain = chain[: chain.index(record) if record in chain else len(chain)]
    trail: list[etree._Element] = []
    for e in chain:
        trail.insert(0, e)
        if e.getparent() is record or e.getparent() is None:
            break
    for steps in ([_step(e) for e in trail], [_nth_step(e) for e in trail]):
        for size in range(1, len(steps) + 1):
            selector = " > ".join(steps[-size:])
            found = CSSSelector(selector)(record)
            matches = sum(bool(CSSSelector(selector)(s)) for s in siblings)
            if found and found[0] is element and matches * 2 >= len(siblings):
                return selector
    return " > ".join(_nth_step(e) for e in trail) or _step(element)


def _nth_step(element: etree._Element) -> str:
    """The step with its place among its parent's children of the same tag."""
    parent = element.getparent()
    same = [c for c in parent if c.tag == element.tag] if parent is not None else [element]
    return f"{_step(element)}:nth-of-type({same.index(element) + 1})" if len(same) > 1 else _step(element)


def _field_rule(
    record: etree._Element, element: etree._Element, value: str, siblings: list[etree._Element], name: str
) -> Any:
    label = _label_before(element) or _label_inside(element, value)
    shown = squash(element_text(element))
    if label and name != "title":
        return {"label": label}
    path = _path(record, element, siblings)
    if name == "price" or _norm(shown) == _norm(value) or _norm(shown_name(shown)) == _norm(value):
        return path
    regex = _context_regex(shown, value)
    return {"css": path, "regex": regex} if regex else path


def _label_before(element: etree._Element) -> str:
    """A label the page puts right before the value ("Vendor:" in a th, a label, the previous cell)."""
    for candidate in (element, element.getparent()):
        if candidate is None:
            continue
        previous = candidate.getprevious()
        if previous is not None and isinstance(previous.tag, str):
            text = squash(element_text(previous))
            if text.endswith((":", "：")) or (text and field_of_label(text)):
                return text.rstrip(":： ")
    return ""


def _label_inside(element: etree._Element, value: str) -> str:
    """'Ships from: United Kingdom' in one element: the label before the value."""
    match = re.match(r"^\s*([^:：]{1,40})[:：]\s*(.+)$", squash(element_text(element)))
    if match and _norm(match.group(2)).startswith(_norm(value)[:20]):
        return match.group(1).strip()
    return ""


def _context_regex(text: str, value: str) -> str:
    """A regex whose group 1 is `value` in `text`, anchored on the separators around it."""
    found = re.search(rf"(?<!\w){re.escape(value.casefold())}(?!\w)", text.casefold())
    if found is None:
        return ""
    at = found.start()
    before, after = text[:at].split(), text[at + len(value) :].split()
    head = re.escape(before[-1]) + r"\s*" if before else "^"
    tail = r"\s*" + re.escape(after[0]) if after else r"\s*$"
    return f"{head}(.+?){tail}"


def _item_selector(record: etree._Element, siblings: list[etree._Element]) -> str:
    parent = record.getparent()
    own = _step(record)
    return f"{_step(parent)} > {own}" if parent is not None and parent.tag not in ("body", "html") else own


def _detect(record: etree._Element, title_at: etree._Element) -> str:
    """For a one-offer page: the title element's own path from its nearest ancestor with a class."""
    steps = [_step(title_at)]
    for ancestor in title_at.iterancestors():
        steps.insert(0, _step(ancestor))
        if "." in steps[0] or ancestor is record:
            break
    return " > ".join(steps)
