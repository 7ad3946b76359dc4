"""Login throttling: per account and per client address, so guessing passwords gets slow, then stops.

After `FREE_FAILURES` failed logins a key (an account name, a client address) must wait before its next try:
1 s, then doubling with each further failure; after `LOCK_FAILURES` it is locked for `LOCK_SECONDS`. A try
that comes too early is refused with the seconds left (429 + Retry-After) *before* any password hashing, so
a flood of tries costs no Argon2 time or memory. State is in memory (one server process), bounded to
`MAX_KEYS` keys: the oldest are forgotten first.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

FREE_FAILURES = 3
LOCK_FAILURES = 10
LOCK_SECONDS = 15 * 60
FORGET_SECONDS = 60 * 60  # failures older than this no longer count
MAX_KEYS = 50_000


@dataclass
class _Failures:
    count: int
    last: float


class LoginThrottle:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._keys: OrderedDict[str, _Failures] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def keys(user: str, client: str) -> tuple[str, str]:
        """The two keys of a try; the account name hashed, so a huge name costs no memory."""
        return "user:" + hashlib.sha256(user.encode("utf-8", "replace")).hexdigest(), "client:" + client[:64]

    def retry_after(self, keys: Iterable[str]) -> int:
        """Seconds before these keys may try again (0: now)."""
        now = self._clock()
        with self._lock:
            waits = [self._wait(self._keys.get(key), now) for key in keys]
        return math.ceil(max(waits, default=0.0))

    def failed(self, keys: Iterable[str]) -> bool:
        """Count a failed try; True when it locks one of the keys (worth one audit line, not one per try)."""
        now = self._clock()
        locked = False
        with self._lock:
            for key in keys:
                entry = self._keys.pop(key, None)
                if entry is None or now - entry.last > FORGET_SECONDS:
                    entry = _Failures(0, now)
                entry.count += 1
                entry.last = now
                self._keys[key] = entry
                locked |= entry.count == LOCK_FAILURES
            while len(self._keys) > MAX_KEYS:
                self._keys.popitem(last=False)
        return locked

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._keys.pop(key, None)

    @staticmethod
    def _wait(entry: _Failures | None, now: float) -> float:
        if entry is None or entry.count < FREE_FAILURES or now - entry.last > FORGET_SECONDS:
            return 0.0
        doubling = min(2.0 ** (entry.count - FREE_FAILURES), LOCK_SECONDS)
        delay = LOCK_SECONDS if entry.count >= LOCK_FAILURES else doubling
        return max(0.0, entry.last + delay - now)
