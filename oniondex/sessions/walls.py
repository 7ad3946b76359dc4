"""Walls: a login page, an anti-DDoS queue, a captcha, a ban or an expired session, shown instead of content.

`classify_wall(page, detectors)` is a pure function of the page; the detectors are data
(`oniondex/data/walls.yaml`, plus a user's file). A wall is never indexed: the crawl records the site's
state (`WALL_STATES`, see oniondex.liveness.INVESTIGATOR_STATES) and holds the site's other requests until
an investigator acts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml
from lxml import etree

from oniondex.page import Page

# What each kind of wall makes of the site.
WALL_STATES = {
    "login": "needs_login",
    "session_expired": "needs_login",
    "queue": "walled",
    "captcha": "walled",
    "banned": "banned",
}


class WallRulesError(ValueError):
    """A walls file that cannot be used; the message names the file and the detector."""


@dataclass(frozen=True)
class Detector:
    kind: str
    text_any: tuple[str, ...] = ()
    xpath_any: tuple[str, ...] = ()
    require_all: bool = False  # text_any and xpath_any must both match
    max_text: int = 0  # 0: any length

    def matches(self, text: str, page: Page) -> bool:
        if self.max_text and len(text) > self.max_text:
            return False
        text_hit = any(phrase in text for phrase in self.text_any)
        xpath_hit = bool(self.xpath_any) and _any_xpath(page, self.xpath_any)
        if self.require_all:
            return (text_hit or not self.text_any) and (xpath_hit or not self.xpath_any)
        return text_hit or xpath_hit


@dataclass(frozen=True)
class Wall:
    kind: str
    state: str
    detail: str = ""


@dataclass(frozen=True)
class WallRules:
    detectors: tuple[Detector, ...] = field(default_factory=tuple)


def _any_xpath(page: Page, expressions: tuple[str, ...]) -> bool:
    tree = page.tree
    if tree is None:
        return False
    return any(bool(tree.xpath(expression)) for expression in expressions)


def classify_wall(page: Page, rules: WallRules) -> Wall | None:
    """The wall this page is, or None for content."""
    if not page.is_html and not page.text:
        return None
    text = page.text.lower()
    for detector in rules.detectors:
        if detector.matches(text, page):
            return Wall(detector.kind, WALL_STATES[detector.kind], f"{detector.kind} page at {page.url}")
    return None


def load_wall_rules(extra: str | Path | None = None) -> WallRules:
    """The shipped detectors, after those of `extra` (a user's YAML file) if given."""
    shipped = resources.files("oniondex.data").joinpath("walls.yaml").read_text(encoding="utf-8")
    detectors = _parse(yaml.safe_load(shipped), "oniondex/data/walls.yaml")
    if extra:
        detectors = _parse(yaml.safe_load(Path(extra).read_text(encoding="utf-8")), str(extra)) + detectors
    return WallRules(detectors)


def _parse(data: object, name: str) -> tuple[Detector, ...]:
    if not isinstance(data, dict) or not isinstance(data.get("detectors"), list):
        raise WallRulesError(f"{name}: expected a mapping with a 'detectors' list")
    return tuple(_detector(item, f"{name}: detector {number}") for number, item in enumerate(data["detectors"], 1))


def _detector(item: object, where: str) -> Detector:
    if not isinstance(item, dict) or item.get("kind") not in WALL_STATES:
        raise WallRulesError(f"{where}: 'kind' must be one of {', '.join(WALL_STATES)}")
    conditions = item.get("all", item)
    detector = Detector(
        kind=item["kind"],
        text_any=tuple(str(p).lower() for p in conditions.get("text_any", ())),
        xpath_any=tuple(str(x) for x in conditions.get("xpath_any", ())),
        require_all="all" in item,
        max_text=int(item.get("max_text", 0)),
    )
    if not detector.text_any and not detector.xpath_any:
        raise WallRulesError(f"{where}: give text_any or xpath_any")
    for expression in detector.xpath_any:
        try:
            etree.XPath(expression)
        except etree.XPathSyntaxError as exc:
            raise WallRulesError(f"{where}: bad XPath {expression!r}: {exc}") from exc
    return detector
