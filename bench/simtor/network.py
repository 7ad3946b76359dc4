"""The simulated sites: names, which are dead, each one's round trip, and its pages."""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass

from oniondex.onion import onion_from_pubkey

LINKS_PER_PAGE = 5  # page n links to pages 5n+1 … 5n+5: 20 pages are within 2 hops of the front page
_WORDS = (
    "escrow vendor listing shipping price review market forum bitcoin monero stealth package tracking "
    "order quality batch sample discount feedback dispute support payment wallet encrypted message"
).split()


@dataclass(frozen=True)
class NetworkShape:
    sites: int = 1000
    dead_fraction: float = 0.2
    dead_delay: tuple[float, float] = (10.0, 30.0)
    rtt: float = 1.5  # median round trip through a circuit, seconds
    circuit: float = 3.0  # median circuit build (with the rendezvous), seconds
    bandwidth: float = 200_000.0  # bytes/s per stream
    pages: int = 20
    page_bytes: int = 40_000
    seed: int = 1


@dataclass(frozen=True)
class Site:
    host: str
    index: int
    dead: bool
    rtt: float
    circuit: float
    dead_after: float
    dead_code: int


def build_sites(shape: NetworkShape) -> dict[str, Site]:
    sites = {}
    for index in range(shape.sites):
        rng = random.Random(f"{shape.seed}-{index}")
        host = onion_from_pubkey(hashlib.sha256(f"simtor-{shape.seed}-{index}".encode()).digest())
        sites[host] = Site(
            host=host,
            index=index,
            dead=rng.random() < shape.dead_fraction,
            # lognormal around the median: most round trips near it, a long tail of slow ones
            rtt=shape.rtt * math.exp(rng.gauss(0, 0.35)),
            circuit=shape.circuit * math.exp(rng.gauss(0, 0.35)),
            dead_after=rng.uniform(*shape.dead_delay),
            dead_code=rng.choice((0xF0, 0xF2)),  # descriptor not found / introduction failed
        )
    return sites


def page_number(path: str) -> int | None:
    if path in ("/", ""):
        return 0
    if path.startswith("/p/") and path[3:].isdigit():
        return int(path[3:])
    return None


def page_body(site: Site, number: int, shape: NetworkShape) -> bytes:
    links = "".join(
        f'<li><a href="/p/{n}">page {n}</a></li>'
        for n in range(number * LINKS_PER_PAGE + 1, number * LINKS_PER_PAGE + LINKS_PER_PAGE + 1)
        if n < shape.pages
    )
    head = f"<html><head><title>site {site.index} page {number}</title></head><body><ul>{links}</ul><p>"
    rng = random.Random(f"{site.index}-{number}")
    words: list[str] = []
    size = len(head)
    while size < shape.page_bytes - 20:
        word = rng.choice(_WORDS)
        words.append(word)
        size += len(word) + 1
    return (head + " ".join(words) + "</p></body></html>").encode()
