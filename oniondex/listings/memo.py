"""`short_text_cache`: an LRU cache for a pure function of texts (names, class attributes, links) that a
page repeats in every block and in the vendor pass. Texts longer than a few hundred characters (prose,
a data: URI) are rarely read twice and would hold memory in a long-lived crawl process: those calls
are computed each time, not kept."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

R = TypeVar("R")
LONGEST = 500  # characters over all the arguments


def short_text_cache(maxsize: int) -> Callable[[Callable[..., R]], Callable[..., R]]:
    def wrap(function: Callable[..., R]) -> Callable[..., R]:
        cached = lru_cache(maxsize=maxsize)(function)

        @wraps(function)
        def call(*texts: str) -> R:
            return cached(*texts) if sum(map(len, texts)) <= LONGEST else function(*texts)

        return call

    return wrap
