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
        # A wrapper per arity (for functions of one or two required texts): these run about a thousand
        # times a page, and summing a tuple's lengths cost as much as the cache lookup.
        arity = -1 if function.__defaults__ else function.__code__.co_argcount
        if arity == 1:

            def call_one(text: str) -> R:
                return cached(text) if len(text) <= LONGEST else function(text)

            return wraps(function)(call_one)
        if arity == 2:

            def call_two(first: str, second: str) -> R:
                return cached(first, second) if len(first) + len(second) <= LONGEST else function(first, second)

            return wraps(function)(call_two)

        def call(*texts: str) -> R:
            return cached(*texts) if sum(map(len, texts)) <= LONGEST else function(*texts)

        return wraps(function)(call)

    return wrap
