"""The search box's language: the index's own (words, "phrases", AND/OR/NOT, -word) plus `field:value`
operators, which this module lifts out of the text into `SearchQuery` filters.

| operator | filter |
|---|---|
| `site:ONION` | pages of that site (`.onion` may be left off) |
| `lang:ko`, `language:ko` | pages in that language |
| `tag:meth` | pages with that tag (repeatable: all must match) |
| `drug:필로폰`, `drug:methamphetamine` | pages tagged with that drug, whatever slang they wrote it in |

A plain word that names a drug (필로폰, meth, 아이스) matches pages that spell it or carry its drug tag
(`oniondex.argot.query.word_tags`); "quote" it to match the spelling only.
| `type:BTC`, `entity_type:pgp` | pages carrying an entity of that type |
| `btc:ADDR`, `xmr:…`, `pgp:FPR`, `email:…`, `telegram:…`, `onion:…`, `entity:VALUE` | pages carrying that exact value |
| `currency:XMR` | pages with a listing in that currency |
| `after:2026-01-01`, `before:2026-12-31` | fetch date, inclusive |
| `vendor:NAME` | pages naming the vendor (the index has no vendor filter yet: searched as a phrase) |

A value may be quoted: `vendor:"Seoul Supply"`. Unknown prefixes stay in the text as plain words. A date
operator whose value is not a date at all (`before:yesterday`) is ignored and said so; one shaped like a date
that no calendar has (`after:2026-13-45`, `2026-02-30`) or out of range (`9999-12-31`) raises `QueryError`,
which the web UI answers with 400.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from oniondex.argot.query import drug_tag, word_tags
from oniondex.index import SearchQuery

# Entity types the extractors emit for coins are upper-case tickers; the rest are lower-case words.
COIN_TYPES = ("BTC", "BCH", "LTC", "DOGE", "DASH", "ZEC", "XMR", "ETH", "TRX")
OTHER_TYPES = ("pgp", "email", "telegram", "onion", "phone", "wickr", "session", "jabber", "handle")
_TYPED = {t.lower(): t for t in (*COIN_TYPES, *OTHER_TYPES)}
_OPERATOR_RE = re.compile(r'(?<!\S)(-?)([A-Za-z_]+):(?:"([^"]*)"|(\S+))')
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(T[\d:]+(Z|[+-]\d{2}:\d{2})?)?$")
_DATE_FIELDS = {"after": "date_from", "since": "date_from", "before": "date_to", "until": "date_to"}
_PLAIN_FIELDS = {"site": "site", "lang": "language", "language": "language", "currency": "currency"}
SORTS = ("relevance", "date")
YEARS = (1900, 2200)  # crawl dates; the embedded index's own range is 1677-2262


class QueryError(ValueError):
    """The query cannot be run as typed; the message names the operator and value at fault."""


@dataclass(frozen=True)
class ParsedQuery:
    query: SearchQuery
    filters: tuple[tuple[str, str], ...] = ()  # (operator, value) as typed, for the "active filters" row
    ignored: tuple[str, ...] = field(default=())  # operators whose value could not be used, with why


def parse(text: str) -> ParsedQuery:
    """The box's text as a `SearchQuery` (limit/offset left at their defaults)."""
    filters: list[tuple[str, str]] = []
    ignored: list[str] = []
    values: dict[str, str] = {}
    tags: list[str] = []
    words: list[str] = []

    def lift(match: re.Match[str]) -> str:
        minus, name, quoted, bare = match.groups()
        value = quoted if quoted is not None else bare
        problem = _apply(name.lower(), value, values, tags, words) if not minus else "negated operators"
        if problem == "unknown":
            return match.group()
        if problem:
            ignored.append(f"{name}:{value} ({problem})")
        else:
            filters.append((name.lower(), value))
        return " "

    remaining = _OPERATOR_RE.sub(lift, text)
    text_part = " ".join([*remaining.split(), *words])
    query = SearchQuery(text=text_part, tags=tuple(tags), word_tags=word_tags(text_part), **values)  # type: ignore[arg-type]
    return ParsedQuery(query, tuple(filters), tuple(ignored))


def _apply(name: str, value: str, values: dict[str, str], tags: list[str], words: list[str]) -> str:
    """Put one operator into `values`/`tags`/`words`; "" if used, else why not ("unknown": not ours)."""
    if not value:
        return "empty value"
    if name in _PLAIN_FIELDS:
        values[_PLAIN_FIELDS[name]] = _site(value) if name == "site" else value
    elif name in ("tag", "tags"):
        tags.append(value)
    elif name == "drug":  # issue 17: a drug name or slang word as its drug tag
        if (tag := drug_tag(value)) is None:
            return "not a drug name or slang word the term list knows"
        tags.append(tag)
    elif name in ("type", "entity_type"):
        values["entity_type"] = _TYPED.get(value.lower(), value)
    elif name in _DATE_FIELDS:
        if not _DATE_RE.match(value):
            return "dates are YYYY-MM-DD"
        try:
            year = datetime.fromisoformat(value).year
        except ValueError as exc:
            raise QueryError(f"{name}:{value} is not a date ({exc}); dates are YYYY-MM-DD") from exc
        if not YEARS[0] <= year <= YEARS[1]:  # beyond what the index can store (found by the fuzzer: 9999-12-31)
            raise QueryError(f"{name}:{value} is out of range: years {YEARS[0]} to {YEARS[1]}")
        values[_DATE_FIELDS[name]] = (
            value if "T" in value else value + ("T23:59:59+00:00" if name in ("before", "until") else "T00:00:00+00:00")
        )
    elif name in ("entity", "value") or name in _TYPED:
        values["entity"] = value
    elif name == "vendor":
        words.append(f'"{value}"')
    else:
        return "unknown"
    return ""


def _site(value: str) -> str:
    host = value.lower().removeprefix("http://").removeprefix("https://").split("/")[0]
    return host if host.endswith(".onion") else host + ".onion"


def with_filter(text: str, name: str, value: str) -> str:
    """The query text with one more `name:value` (quoted when it has spaces), for facet links."""
    shown = f'"{value}"' if re.search(r'[\s"]', value) else value
    return f"{text.strip()} {name}:{shown}".strip()


def without_filter(text: str, name: str, value: str) -> str:
    """The query text with the operators `name:value` removed, for the remove-filter links."""

    def drop(match: re.Match[str]) -> str:
        minus, op, quoted, bare = match.groups()
        same = not minus and op.lower() == name and (quoted if quoted is not None else bare) == value
        return " " if same else match.group()

    return " ".join(_OPERATOR_RE.sub(drop, text).split())


def paged(query: SearchQuery, page: int, per_page: int) -> SearchQuery:
    return replace(query, limit=per_page, offset=(max(page, 1) - 1) * per_page)
