"""Site profiles: declarative files mapping a market layout's markup to listing and vendor fields.

A profile is data (profiles/*.yaml, format in profiles/README.md). `load_profiles()` reads and checks
them; `select_profile(page, profiles)` picks the highest-priority profile whose hosts, URL patterns
and detect selectors all fit the page.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cssselect
import yaml
from lxml.cssselect import CSSSelector, SelectorError

from oniondex.bundled import bundled
from oniondex.listings.errors import ProfileError

if TYPE_CHECKING:
    from oniondex.page import Page

PROFILE_DIR = bundled("profiles")
LISTING_FIELDS = ("title", "url", "price", "unit", "vendor", "category", "ships_from", "ships_to")
_TOP_KEYS = {"name", "about", "priority", "match", "lists", "listing", "vendor", "fill_in"}
_MATCH_KEYS = {"hosts", "urls", "detect"}
_SECTION_KEYS = {"item", "require", "fields", "category_from_url"}
_RULE_KEYS = {"css", "attr", "label", "regex"}
_VENDOR_KEYS = {"urls", "name"}


@dataclass(frozen=True)
class FieldRule:
    """Where one field's value is: a CSS selector (text, or an attribute), a label of a label/value
    pair, and/or a regex whose first group is kept (applied to the item's text when alone)."""

    css: CSSSelector | None = None
    attr: str = ""
    labels: tuple[str, ...] = ()
    regex: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Section:
    item: CSSSelector
    fields: dict[str, FieldRule]
    require: CSSSelector | None = None
    category_from_url: re.Pattern[str] | None = None


@dataclass(frozen=True)
class VendorSection:
    urls: tuple[re.Pattern[str], ...]
    name: FieldRule


@dataclass(frozen=True)
class Profile:
    name: str
    path: str
    priority: int = 0
    hosts: frozenset[str] = frozenset()
    urls: tuple[re.Pattern[str], ...] = ()
    detect: tuple[CSSSelector, ...] = ()
    lists: Section | None = None
    listing: Section | None = None
    vendor: VendorSection | None = None
    about: str = ""
    labels: dict[str, str] = field(default_factory=dict)  # label (casefolded) -> field, for pairs
    fill_in: bool = False  # fields without a rule (and a missing price) come from the generic extractor

    def fits(self, page: Page) -> bool:
        if self.hosts and page.host not in self.hosts:
            return False
        if self.urls and not any(p.search(page.url) for p in self.urls):
            return False
        if self.detect and (page.tree is None or not any(_detects(sel, page) for sel in self.detect)):
            return False
        return bool(self.hosts or self.urls or self.detect)


def _detects(selector: CSSSelector, page: Page) -> bool:
    """Whether the selector matches on the page. Each one costs a walk of the whole tree in libxml2 (most of
    the listing stage's time on big pages, with every profile tried on every page), so it is only run when
    the (element, class) pairs and the element names it needs are all in the tree (an element name is
    looked for by lxml's tag iterator in C, which stops at the first one)."""
    reading, tree = page.reading, page.tree
    if reading is not None and tree is not None:
        tags, classes = selector_needs(selector.css)
        if not all((tag, name) in reading.classes if tag else name in reading.class_names for tag, name in classes):
            return False
        if not all(next(tree.iter(tag), None) is not None for tag in tags):
            return False
    return bool(selector(tree))


_PLAIN_NAME_RE = re.compile(r"[a-z][a-z0-9-]*")
_CONDITIONS = (
    cssselect.parser.Class,
    cssselect.parser.Attrib,
    cssselect.parser.Hash,
    cssselect.parser.Pseudo,
    cssselect.parser.Function,
    cssselect.parser.Negation,
    cssselect.parser.Relation,
)


@lru_cache(maxsize=256)
def selector_needs(css: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """The element names, and the (element name or "", class) pairs, that the tree must hold for the
    selector to match: read from the parts that must hold (not from inside `:not()`, `:is()`, `:has()` and
    the like), so the test says "no match" only when there is none. Names lowercased, as the HTML parser
    makes them."""
    tags: set[str] = set()
    classes: set[tuple[str, str]] = set()

    def element_of(node: object) -> str:
        while isinstance(node, _CONDITIONS):
            node = node.selector
        name = (node.element or "").lower() if isinstance(node, cssselect.parser.Element) else ""
        return name if _PLAIN_NAME_RE.fullmatch(name) else ""  # "*", a namespace or an escape: needs no name

    def visit(node: object) -> None:
        if isinstance(node, cssselect.parser.CombinedSelector):
            visit(node.selector)
            visit(node.subselector)
            return
        if isinstance(node, cssselect.parser.Class):
            classes.add((element_of(node), node.class_name))
        if isinstance(node, _CONDITIONS):
            visit(node.selector)  # the element the condition is on; the condition itself adds nothing
        elif tag := element_of(node):
            tags.add(tag)

    selectors = cssselect.parse(css)
    if len(selectors) != 1:  # a group ("a, b") matches when any one part does: nothing is needed by all
        return frozenset(), frozenset()
    visit(selectors[0].parsed_tree)
    return frozenset(tags), frozenset(classes)


def load_profiles(directory: Path | None = None) -> list[Profile]:
    folder = directory or Path(os.environ.get("ONIONDEX_PROFILE_DIR") or PROFILE_DIR)
    return sorted((load_profile(path) for path in sorted(folder.glob("*.y*ml"))), key=lambda p: (-p.priority, p.name))


def select_profile(page: Page, profiles: list[Profile]) -> Profile | None:
    """The first fitting profile; `profiles` come sorted by priority (as `load_profiles` returns them)."""
    return next((profile for profile in profiles if profile.fits(page)), None)


def load_profile(path: Path) -> Profile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProfileError(str(path), "", f"cannot read: {exc}") from exc
    return parse_profile(data, str(path))


def parse_profile(data: Any, path: str) -> Profile:
    _check_keys(data, _TOP_KEYS, path, "top level")
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise ProfileError(path, "name", "a profile needs a non-empty name")
    match = data.get("match") or {}
    _check_keys(match, _MATCH_KEYS, path, "match")
    lists = _section(data.get("lists"), path, "lists")
    listing = _section(data.get("listing"), path, "listing")
    return Profile(
        name=data["name"],
        path=path,
        priority=_int(data.get("priority", 0), path, "priority"),
        hosts=frozenset(h.lower() for h in _strings(match.get("hosts"), path, "match.hosts")),
        urls=tuple(_regex(u, path, "match.urls") for u in _strings(match.get("urls"), path, "match.urls")),
        detect=tuple(_css(s, path, "match.detect") for s in _strings(match.get("detect"), path, "match.detect")),
        lists=lists,
        listing=listing,
        vendor=_vendor(data.get("vendor"), path),
        about=str(data.get("about", "")),
        labels=_label_map(data, path),
        fill_in=_bool(data.get("fill_in", False), path, "fill_in"),
    )


def _section(data: Any, path: str, where: str) -> Section | None:
    if data is None:
        return None
    _check_keys(data, _SECTION_KEYS, path, where)
    fields = data.get("fields") or {}
    if not isinstance(fields, dict) or not fields:
        raise ProfileError(path, f"{where}.fields", "expected a mapping of field -> rule")
    unknown = sorted(set(fields) - set(LISTING_FIELDS))
    if unknown:
        raise ProfileError(path, f"{where}.fields", f"unknown field(s) {unknown}; known: {', '.join(LISTING_FIELDS)}")
    category = data.get("category_from_url")
    return Section(
        item=_css(data.get("item", ""), path, f"{where}.item"),
        fields={name: _rule(rule, path, f"{where}.fields.{name}") for name, rule in fields.items()},
        require=_css(data["require"], path, f"{where}.require") if data.get("require") else None,
        category_from_url=_regex(category, path, f"{where}.category_from_url") if category else None,
    )


def _vendor(data: Any, path: str) -> VendorSection | None:
    if data is None:
        return None
    _check_keys(data, _VENDOR_KEYS, path, "vendor")
    urls = tuple(_regex(u, path, "vendor.urls") for u in _strings(data.get("urls"), path, "vendor.urls"))
    if not urls or "name" not in data:
        raise ProfileError(path, "vendor", "needs urls (regexes of vendor page URLs) and a name rule")
    return VendorSection(urls, _rule(data["name"], path, "vendor.name"))


def _rule(data: Any, path: str, where: str) -> FieldRule:
    """'css', 'css @attr', or a mapping with css / attr / label / regex."""
    if isinstance(data, str):
        css, _, attr = data.partition(" @")
        return FieldRule(css=_css(css.strip(), path, where), attr=attr.strip())
    _check_keys(data, _RULE_KEYS, path, where)
    if not any(data.get(k) for k in ("css", "label", "regex")):
        raise ProfileError(path, where, "a rule needs css, label or regex")
    labels = _strings(data.get("label"), path, f"{where}.label")
    return FieldRule(
        css=_css(data["css"], path, where) if data.get("css") else None,
        attr=str(data.get("attr", "")),
        labels=tuple(labels),
        regex=_regex(data["regex"], path, where) if data.get("regex") else None,
    )


def _label_map(data: dict[str, Any], path: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for where in ("lists", "listing"):
        section = data.get(where) or {}
        for name, rule in (section.get("fields") or {}).items():
            if isinstance(rule, dict) and rule.get("label"):
                labels = rule["label"] if isinstance(rule["label"], list) else [rule["label"]]
                out.update({label_key(str(label)): name for label in labels})
    return out


def label_key(text: str) -> str:
    """How labels compare: spaces squashed, trailing colon dropped, case folded."""
    return " ".join(text.split()).strip(" :：\t\u00a0").casefold()


def _check_keys(data: Any, allowed: set[str], path: str, where: str) -> None:
    if not isinstance(data, dict):
        raise ProfileError(path, where, f"expected a mapping, got {type(data).__name__}")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ProfileError(path, where, f"unknown key(s) {unknown}; accepted: {', '.join(sorted(allowed))}")


def _strings(value: Any, path: str, where: str) -> list[str]:
    if value is None:
        return []
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ProfileError(path, where, "expected a string or a list of strings")
    return values


def _bool(value: Any, path: str, where: str) -> bool:
    if not isinstance(value, bool):
        raise ProfileError(path, where, f"expected true or false, got {value!r}")
    return value


def _int(value: Any, path: str, where: str) -> int:
    if not isinstance(value, int):
        raise ProfileError(path, where, f"expected an integer, got {value!r}")
    return value


def _css(selector: Any, path: str, where: str) -> CSSSelector:
    if not isinstance(selector, str) or not selector.strip():
        raise ProfileError(path, where, "expected a CSS selector")
    try:
        return CSSSelector(selector)
    except SelectorError as exc:
        raise ProfileError(path, where, f"bad CSS selector {selector!r}: {exc}") from exc


def _regex(pattern: Any, path: str, where: str) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise ProfileError(path, where, "expected a regular expression")
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ProfileError(path, where, f"bad regular expression {pattern!r}: {exc}") from exc
