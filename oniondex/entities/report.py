"""A page's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oniondex.language import SAMPLE_CHARS, detect_language

if TYPE_CHECKING:
    from oniondex.page import Page


def page_language(page: Page) -> str:
    # detect_language reads only the first SAMPLE_CHARS: no copy of a whole page's text for it.
    return detect_language(f"{page.title}\n{page.text[:SAMPLE_CHARS]}")
