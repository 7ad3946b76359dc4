"""When Python's cyclic garbage collector runs, for the hot loops that build many short-lived objects.

Extraction and index batches make thousands of small objects a page that hold no cycles (reference
counting frees them all); collections during that work walked the live ones again and again. Both helpers
are process-wide: use them only where the process (or thread's work) is that loop.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off for the block; what it owes then runs at the next allocation after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def freeze_start_up() -> None:
    """After a process's start-up: what it loaded (models, term lists, profiles) lives as long as the
    process, so it is moved out of the collector's reach instead of walked by every full collection."""
    gc.collect()
    gc.freeze()
