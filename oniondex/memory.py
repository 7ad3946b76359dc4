"""How many malloc arenas a multi-threaded process may use (glibc), set before its threads start.

glibc gives each thread that allocates while another holds an arena a new arena, up to 8 per core, and
memory freed in one is not handed back to the system while anything in it lives: a crawl's reactor,
thread pools and tantivy's writer threads each grew and fragmented their own. Measured on the crawl bench
(`bench/crawl.py --sites 10000 --minutes 3`): the crawl process's anonymous memory grew 276 -> 556 MB in
three minutes with glibc's default, 250 -> 340 MB with two arenas (and CONCURRENT_ITEMS 8) at more pages/s.
"""

from __future__ import annotations

import ctypes
import ctypes.util

_M_ARENA_MAX = -8  # malloc.h


def limit_malloc_arenas(arenas: int) -> bool:
    """At most `arenas` malloc arenas from now on (0 leaves the default). True if the C library took it;
    False elsewhere than glibc, where there is nothing to set."""
    if arenas <= 0:
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_ARENA_MAX, arenas))
