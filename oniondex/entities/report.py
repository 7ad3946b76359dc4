"""A page's language and drug-trade tags (for `oniondex.extraction.extract_page`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from oniondex.language import detect_language
from oniondex.tagging import page_tag_result

if TYPE_CHECKING:
    from oniondex.page import Page


def page_language(page: Page) -> str:
    return detect_language(f"{page.title}\n{page.text}")


def page_tags(page: Page) -> list[str]:
    """Tags from the title and the page's content: navigation, header, footer and sidebars name every
    category a market has, so they say nothing about what this page sells."""
    return list(page_tag_result(page).tags)


# Text nodes outside page chrome and outside anything a reader never sees.
_CONTENT_XPATH = etree.XPath(
    "//body//text()[not(ancestor::nav or ancestor::header or ancestor::footer or ancestor::aside"
    " or ancestor::select or ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
)


def content_text(page: Page) -> str:
    if page.tree is None:
        return page.text
    nodes = _CONTENT_XPATH(page.tree)
    if not isinstance(nodes, list):  # pragma: no cover - a text() XPath always returns a list
        return page.text
    return " ".join(str(node) for node in nodes if not isinstance(node, etree._Comment))
