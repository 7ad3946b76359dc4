"""Search by meaning: a drug's name, slang word or tag names the drug tag, so a search for 필로폰 or
`drug:methamphetamine` can find pages that sell it under any slang (the tagger put the tag on them).

`drug_tag("필로폰") == drug_tag("아.이.스") == drug_tag("methamphetamine") == "methamphetamine"`. The search
box's `drug:` operator (web/query.py) turns into that tag filter. `word_tags` gives, for a whole query, the
drug tag each plain term stands for (`SearchQuery.word_tags`): the backends match such a term by its
spelling or by the tag, so a plain 필로폰 also finds the pages that wrote 아○○ or ㅇㅏㅇㅣㅅㅡ.
"""

from __future__ import annotations

import re

from oniondex.argot.normalise import normalise
from oniondex.argot.terms import DEAD_DROP, TermList, current_terms
from oniondex.index.analysis import parse_query

_QUOTED_RE = re.compile(r'"[^"]*"')


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


def word_tags(text: str, terms: TermList | None = None) -> tuple[tuple[str, str], ...]:
    """(term, drug tag) for each plain term of the query that names a drug, the term's text as the index
    parses it (`parse_query`), in query order. Excluded terms (-word, NOT word) and "quoted phrases" are
    left alone: a quote asks for the spelling."""
    terms = terms or current_terms()
    found: dict[str, str] = {}
    for group in parse_query(_QUOTED_RE.sub(" ", text)):
        for term in group:
            tag = None if term.negated or term.text in found else drug_tag(term.text, terms)
            if tag is not None:
                found[term.text] = tag
    return tuple(found.items())
