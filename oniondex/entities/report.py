"""A page's language, and the content text its drug-trade tags are read from (`oniondex.tagging`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from oniondex.language import detect_language

if TYPE_CHECKING:
    from oniondex.page import Page


def page_language(page: Page) -> str:
    return detect_language(f"{page.title}\n{page.text}")


# Text nodes outside page chrome and outside anything a reader never sees.
_CONTENT_XPATH = etree.XPath(
    "//body//text()[not(ancestor::nav or ancestor::header or ancestor::footer or ancestor::aside"
    " or ancestor::select or ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
)


def content_text(page: Page) -> str:
    """The text tags are read from; a cut tree (see `Page.tree_cut`) falls back to the whole page text."""
    if page.tree is None or page.tree_cut:
        return page.text
    nodes = _CONTENT_XPATH(page.tree)
    if not isinstance(nodes, list):  # pragma: no cover - a text() XPath always returns a list
        return page.text
    return " ".join(str(node) for node in nodes if not isinstance(node, etree._Comment))
