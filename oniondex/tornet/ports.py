"""Loopback TCP ports for tor, which needs explicit ORPort/DirPort/SocksPort numbers.

Tor cannot report a port it chose itself for the ORPort and DirPort every other tor must know in
advance, so we pick them: random candidates below the kernel's ephemeral range (where outgoing
connections are not given ports), each checked by binding 127.0.0.1 without SO_REUSEADDR, never
handed out twice by one allocator. The race with other programs remains; a bring-up that fails to
bind retries with fresh ports.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

LOOPBACK = "127.0.0.1"
_EPHEMERAL_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_LOWEST = 10000


def _candidate_range() -> tuple[int, int]:
    try:
        low = int(_EPHEMERAL_RANGE_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    return _LOWEST, max(_LOWEST + 1000, low - 1)


def is_free(port: int) -> bool:
    """True if 127.0.0.1:port can be bound right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


class PortAllocator:
    """Hands out distinct, currently free loopback ports."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self._rng = rng or random.Random()  # port choice, not security
        self._given: set[int] = set()

    def take(self) -> int:
        low, high = _candidate_range()
        for _ in range(1000):
            port = self._rng.randint(low, high)
            if port not in self._given and is_free(port):
                self._given.add(port)
                return port
        raise OSError(f"no free loopback port found in {low}-{high}")
