"""A page's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oniondex.language import detect_language

if TYPE_CHECKING:
    from oniondex.page import Page


def page_language(page: Page) -> str:
    return detect_language(f"{page.title}\n{page.text}")
