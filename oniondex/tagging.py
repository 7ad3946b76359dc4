"""Drug-trade tags for a page's text: the entry point the extraction pipeline uses.

`classify(text)` gives the tags with the evidence that fired (oniondex/argot/classify.py says how the
score works); `tag_text(text)` gives only the tag names. The term list is `oniondex/data/drug_terms.tsv`,
or the file `ONIONDEX_TERMS_FILE` names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oniondex.argot.classify import NEWS_TAG, Evidence, TagDecision, TagResult, classify
from oniondex.argot.terms import TERMS_ENV, TermList, TermListError, current_terms, load_terms

if TYPE_CHECKING:
    from oniondex.page import Page

__all__ = [
    "NEWS_TAG",
    "TERMS_ENV",
    "Evidence",
    "TagDecision",
    "TagResult",
    "TermList",
    "TermListError",
    "classify",
    "current_terms",
    "load_terms",
    "page_tag_result",
    "page_tags",
    "tag_text",
]


def tag_text(text: str, terms: TermList | None = None) -> list[str]:
    """Sorted tags: drug tags and dead_drop for a sale, or the drug-news topic for a news report."""
    return list(classify(text, terms).tags)


def page_tag_result(page: Page) -> TagResult:
    """Tags with evidence for a page's title and content (page chrome left out: a market's navigation names
    every category it has)."""
    return classify(f"{page.title}\n{page.content_text}")


def page_tags(page: Page) -> list[str]:
    return list(page_tag_result(page).tags)
