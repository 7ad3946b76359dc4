"""Label/value pairs inside an element, whatever the markup: th/td, dt/dd, label + span, div.k + div.v,
<strong>Label</strong> value, and "Label: value" runs of text. Labels are known by `field_of_label`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from oniondex.listings.money import find_prices
from oniondex.listings.text import element_text, squash, text_holders, text_nodes
from oniondex.listings.vocabulary import field_of_label

_LABEL_TAGS = frozenset("th td dt label strong b em span div p li h4 h5 h6 small".split())
# Separators between "Label: value" runs in one line of text.
SEGMENT_RE = re.compile(r"\s+[—–|·•]\s+|\s+-\s+|\s*[|·•]\s*|\n")
# Every separator holds one of these: a line without any is one segment, found by a scan in C (the split
# tries its alternatives at every position, which costs most on long lines of prose).
_SEPARATOR_CHAR_RE = re.compile(r"[—–|·•\n-]")
_COLON_RE = re.compile(r"^(?P<label>[^:：]{1,40})[:：]\s*(?P<value>.+)$")
MAX_LABEL_CHARS = 40


@dataclass(frozen=True)
class Pair:
    field: str
    label: str
    value: str
    element: etree._Element | None = None  # where the value is, for its links


LabelReader = Callable[[str], "str | None"]


def harvest(element: etree._Element, labels: LabelReader = field_of_label, text: str | None = None) -> dict[str, Pair]:
    """Each field's first pair inside `element` (markup pairs before text pairs); `labels` names the
    field a label stands for (the built-in vocabulary, or a profile's own labels); `text` is the
    element's `element_text(lines=True)` when the caller has it."""
    found: dict[str, Pair] = {}
    lines = element_text(element, lines=True) if text is None else text
    for pair in [*_markup_pairs(element, labels), *_text_pairs(lines, labels)]:
        if pair.field in ("ships_from", "ships_to") and find_prices(pair.value):
            # "From: 20 $" is a from-price, not an origin.
            pair = Pair("price", pair.label, pair.value, pair.element)
        found.setdefault(pair.field, pair)
    return found


def _markup_pairs(root: etree._Element, labels: LabelReader) -> list[Pair]:
    """Labels found from their text: a text node that reads as a label, in an element whose whole text
    is that label (one XPath for the text, then only the few label candidates are walked)."""
    pairs: list[Pair] = []
    seen: set[etree._Element] = set()
    places = [
        number
        for number, raw in enumerate(text_nodes(root))
        if (len(raw) <= 4 * MAX_LABEL_CHARS or len(raw.strip()) <= MAX_LABEL_CHARS) and labels(raw) is not None
    ]
    for element in text_holders(root, places):
        if element is None or element in seen:
            continue
        # The label's element and the ones around it that show nothing else ("<th><label>Vendor:"),
        # outermost first, as a walk over the elements would meet them.
        chain = []
        for candidate in itertools.chain((element,), element.iterancestors()):
            if candidate.tag not in _LABEL_TAGS or candidate in seen:
                break
            text = element_text(candidate)
            if len(text) > MAX_LABEL_CHARS or labels(text) is None:
                break
            seen.add(candidate)
            chain.append((candidate, text))
            if candidate is root:
                break
        for element, label in reversed(chain):
            pair = _pair_after(element, label, labels)
            if pair is not None:
                pairs.append(pair)
    return pairs


def _pair_after(element: etree._Element, label: str, labels: LabelReader) -> Pair | None:
    field = labels(label)
    if field is None:
        return None
    value, where = _value_after(element)
    return Pair(field, label, value, where) if value and labels(value) is None else None


def _value_after(label: etree._Element) -> tuple[str, etree._Element | None]:
    """The value right after a label: its next sibling element, or the text running after it."""
    tail = squash(label.tail or "")
    sibling = label.getnext()
    if not tail.strip(":：") and sibling is not None and isinstance(sibling.tag, str):
        return element_text(sibling), sibling
    parent = label.getparent()
    rest = [tail] + [element_text(s) + " " + squash(s.tail or "") for s in label.itersiblings()]
    return squash(" ".join(rest)).lstrip(":： "), parent


def _text_pairs(text: str, labels: LabelReader) -> list[Pair]:
    pairs: list[Pair] = []
    for line in text.split("\n"):
        if ":" not in line and "：" not in line:
            continue  # a "Label: value" segment holds a colon
        for segment in split_segments(line):
            match = _COLON_RE.match(segment.strip())
            field = labels(match["label"]) if match else None
            if match and field:
                pairs.append(Pair(field, match["label"], match["value"].strip()))
    return pairs


def segments(text: str) -> list[str]:
    """Lines of text split at the separators markets put between facts."""
    return [s.strip() for line in text.split("\n") for s in split_segments(line) if s.strip()]


def split_segments(line: str) -> list[str]:
    """`SEGMENT_RE.split(line)`."""
    return SEGMENT_RE.split(line) if _SEPARATOR_CHAR_RE.search(line) else [line]
