"""Label/value pairs inside an element, whatever the markup: th/td, dt/dd, label + span, div.k + div.v,
<strong>Label</strong> value, and "Label: value" runs of text. Labels are known by `field_of_label`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from oniondex.listings.money import find_prices
from oniondex.listings.text import element_text, squash
from oniondex.listings.vocabulary import field_of_label

_LABEL_TAGS = frozenset("th td dt label strong b em span div p li h4 h5 h6 small".split())
# Separators between "Label: value" runs in one line of text.
SEGMENT_RE = re.compile(r"\s+[—–|·•]\s+|\s+-\s+|\s*[|·•]\s*|\n")
_COLON_RE = re.compile(r"^(?P<label>[^:：]{1,40})[:：]\s*(?P<value>.+)$")
MAX_LABEL_CHARS = 40


@dataclass(frozen=True)
class Pair:
    field: str
    label: str
    value: str
    element: etree._Element | None = None  # where the value is, for its links


LabelReader = Callable[[str], "str | None"]


def harvest(element: etree._Element, labels: LabelReader = field_of_label) -> dict[str, Pair]:
    """Each field's first pair inside `element` (markup pairs before text pairs); `labels` names the
    field a label stands for (the built-in vocabulary, or a profile's own labels)."""
    found: dict[str, Pair] = {}
    for pair in [*_markup_pairs(element, labels), *_text_pairs(element, labels)]:
        if pair.field in ("ships_from", "ships_to") and find_prices(pair.value):
            # "From: 20 $" is a from-price, not an origin.
            pair = Pair("price", pair.label, pair.value, pair.element)
        found.setdefault(pair.field, pair)
    return found


def _markup_pairs(root: etree._Element, labels: LabelReader) -> list[Pair]:
    pairs = []
    for element in root.iter(*_LABEL_TAGS):
        raw = element.xpath("string()")
        if len(raw) > 4 * MAX_LABEL_CHARS and len("".join(raw.split())) > 4 * MAX_LABEL_CHARS:
            continue  # cheap C-level length first: no label is this long, whitespace aside
        label = element_text(element)
        field = labels(label) if len(label) <= MAX_LABEL_CHARS else None
        if field is None:
            continue
        value, where = _value_after(element)
        if value and labels(value) is None:
            pairs.append(Pair(field, label, value, where))
    return pairs


def _value_after(label: etree._Element) -> tuple[str, etree._Element | None]:
    """The value right after a label: its next sibling element, or the text running after it."""
    tail = squash(label.tail or "")
    sibling = label.getnext()
    if not tail.strip(":：") and sibling is not None and isinstance(sibling.tag, str):
        return element_text(sibling), sibling
    parent = label.getparent()
    rest = [tail] + [element_text(s) + " " + squash(s.tail or "") for s in label.itersiblings()]
    return squash(" ".join(rest)).lstrip(":： "), parent


def _text_pairs(root: etree._Element, labels: LabelReader) -> list[Pair]:
    pairs = []
    for line in element_text(root, lines=True).split("\n"):
        for segment in SEGMENT_RE.split(line):
            match = _COLON_RE.match(segment.strip())
            field = labels(match["label"]) if match else None
            if match and field:
                pairs.append(Pair(field, match["label"], match["value"].strip()))
    return pairs


def segments(text: str) -> list[str]:
    """Lines of text split at the separators markets put between facts."""
    return [s.strip() for line in text.split("\n") for s in SEGMENT_RE.split(line) if s.strip()]
