"""Vendor names as shown and normalised: the normalised form is what a weak (name-only) link compares."""

from __future__ import annotations

import re
import unicodedata

# Look-alike digits and symbols read as the letters they imitate: GreenDrag0n ~ GreenDragon.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
_NOT_WORD_RE = re.compile(r"[\W_]+")


def normalise_name(name: str) -> str:
    """NFKC, case-folded, look-alikes mapped, separators dropped: 'Pharma_Bro' -> 'pharmabro'."""
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_LEET)
    return _NOT_WORD_RE.sub("", folded)
