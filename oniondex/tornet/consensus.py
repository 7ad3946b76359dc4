"""Read the current consensus from an authority's DirPort and judge whether it is complete."""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from dataclasses import dataclass

_CONSENSUS_PATH = "/tor/status-vote/current/consensus"
# Loopback only: never through an environment proxy.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class RouterStatus:
    fingerprint: str
    flags: frozenset[str]
    bandwidth: int

    @property
    def running(self) -> bool:
        return {"Running", "Valid"} <= self.flags


def parse_consensus(text: str) -> dict[str, RouterStatus]:
    """Router statuses by upper-case hex fingerprint."""
    routers: dict[str, RouterStatus] = {}
    fingerprint, flags = "", frozenset[str]()
    for line in text.splitlines():
        keyword, _, rest = line.partition(" ")
        if keyword == "r":
            identity = rest.split()[1]
            fingerprint = base64.b64decode(identity + "=" * (-len(identity) % 4)).hex().upper()
            flags = frozenset()
        elif keyword == "s" and fingerprint:
            flags = frozenset(rest.split())
        elif keyword == "w" and fingerprint:
            fields = dict(item.split("=", 1) for item in rest.split() if "=" in item)
            routers[fingerprint] = RouterStatus(fingerprint, flags, int(fields.get("Bandwidth", "0")))
    return routers


def fetch_consensus(dir_port: int, timeout: float = 5.0) -> str | None:
    """The authority's current consensus, or None if it has none yet."""
    url = f"http://127.0.0.1:{dir_port}{_CONSENSUS_PATH}"
    try:
        with _OPENER.open(url, timeout=timeout) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError):
        return None


def not_ready(dir_port: int, running: set[str], weighted: set[str]) -> set[str]:
    """Fingerprints the authority's consensus does not yet list as Running and Valid (all of
    `running`) with a bandwidth weight above 0 (those in `weighted`)."""
    text = fetch_consensus(dir_port)
    if text is None:
        return running | weighted
    routers = parse_consensus(text)
    absent = {fp for fp in running | weighted if fp not in routers or not routers[fp].running}
    return absent | {fp for fp in weighted if fp in routers and routers[fp].bandwidth == 0}
