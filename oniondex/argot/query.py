"""Search by meaning: a drug's name, slang word or tag names the drug tag, so a search for 필로폰 or
`drug:methamphetamine` can find pages that sell it under any slang (the tagger put the tag on them).

`drug_tag("필로폰") == drug_tag("아.이.스") == drug_tag("methamphetamine") == "methamphetamine"`. The search
box's `drug:` operator (web/query.py) turns into that tag filter. `expand_query` gives, for a whole query,
the drug tags its plain words stand for: a backend that ORs them with the text match ("(text) OR tag")
finds both the pages that spell the word and the pages tagged for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from oniondex.argot.normalise import normalise
from oniondex.argot.terms import DEAD_DROP, TermList, current_terms

_WORD_RE = re.compile(r'"[^"]*"|\S+')


@dataclass(frozen=True)
class ExpandedQuery:
    text: str  # the query as typed
    drug_tags: tuple[str, ...]  # tags its plain words name (OR them with the text match)


def drug_tag(value: str, terms: TermList | None = None) -> str | None:
    """The drug tag a name, slang word or tag stands for; None when the list does not know it."""
    terms = terms or current_terms()
    text = normalise(value.strip().strip('"')).text
    drug_categories = {t.category for t in terms.drug_terms if t.category != DEAD_DROP}
    if text in drug_categories:
        return text
    term = terms.by_text.get(text)
    if term is None or term.category == DEAD_DROP:
        return None
    return term.category


def expand_query(text: str, terms: TermList | None = None) -> ExpandedQuery:
    """The drug tags the query's plain words (not operators, not -excluded words) name, in query order."""
    terms = terms or current_terms()
    tags: list[str] = []
    for word in _WORD_RE.findall(text):
        if word.startswith("-") or (":" in word and not word.startswith('"')) or word in ("AND", "OR", "NOT"):
            continue
        tag = drug_tag(word, terms)
        if tag is not None and tag not in tags:
            tags.append(tag)
    return ExpandedQuery(text, tuple(tags))
