"""Names from crawled data, made fit to draw: characters that could reorder or hide text (bidi overrides
such as U+202E, zero-width and other format or control characters) shown as `\\uXXXX`, and long names cut.
Escaping for markup is the renderer's job (markupsafe), after this."""

from __future__ import annotations

import unicodedata

LABEL_CHARS = 26
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"}


def visible(text: str) -> str:
    """`text` with every control, format (bidi, zero-width) and unassigned character written as \\uXXXX."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in _HIDDEN_CATEGORIES else c for c in text)


def short(text: str, limit: int = LABEL_CHARS) -> str:
    """`visible(text)` cut to `limit` characters, the cut marked with an ellipsis."""
    shown = visible(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
