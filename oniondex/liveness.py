"""Site liveness: every site's state, when it was last up, and when to look again.

A freshly dead site is re-probed soon (15 min, then doubling per consecutive failure), a long-dead one
rarely (at most weekly); a live site is recrawled daily. A Tor outage says nothing about a site and does
not count against it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import astuple, dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

# Phrases of the banners law enforcement puts on seized onion sites.
_SEIZED_PHRASES = (
    "this hidden site has been seized",
    "this website has been seized",
    "this domain has been seized",
    "this site has been seized",
    "has been seized by",
)
# needs_login, walled and banned (oniondex/sessions/walls.py): the site answered with a wall; it waits for
# an investigator (a session, a captcha solved), and is checked like a live site meanwhile.
INVESTIGATOR_STATES = ("needs_login", "walled", "banned")
STATES = ("up", "down", "timeout", "tor_error", "error", "moved", "seized", *INVESTIGATOR_STATES, "unknown")
FIRST_RETRY = timedelta(minutes=15)
MAX_RETRY = timedelta(days=7)
RECRAWL_UP = timedelta(days=1)


def looks_seized(text: str) -> bool:
    head = text[:5000].lower()
    return any(phrase in head for phrase in _SEIZED_PHRASES)


@dataclass(frozen=True)
class SiteState:
    site: str
    state: str = "unknown"
    first_seen: str = ""
    last_seen_up: str = ""
    last_checked: str = ""
    failures: int = 0  # consecutive
    next_check: str = ""
    detail: str = ""


def next_state(previous: SiteState, outcome: str, now: datetime, detail: str = "") -> SiteState:
    """The state after one crawl's outcome for the site."""
    stamp = now.isoformat(timespec="seconds")
    base = replace(previous, first_seen=previous.first_seen or stamp, last_checked=stamp, detail=detail)
    if outcome == "tor_error":
        return replace(base, next_check=(now + FIRST_RETRY).isoformat(timespec="seconds"))
    if outcome in ("up", "moved", "seized", *INVESTIGATOR_STATES):
        # moved and seized sites answered: they are checked like live ones, to see what comes next.
        return replace(
            base,
            state=outcome,
            last_seen_up=stamp,
            failures=0,
            next_check=(now + RECRAWL_UP).isoformat(timespec="seconds"),
        )
    failures = previous.failures + 1
    wait = min(FIRST_RETRY * 2 ** (failures - 1), MAX_RETRY)
    return replace(base, state=outcome, failures=failures, next_check=(now + wait).isoformat(timespec="seconds"))


class LivenessStore:
    """Site states in SQLite under the data directory; one row per site."""

    _SELECT = "SELECT site, state, first_seen, last_seen_up, last_checked, failures, next_check, detail FROM sites"

    def __init__(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS sites (site TEXT PRIMARY KEY, state TEXT, first_seen TEXT, "
            "last_seen_up TEXT, last_checked TEXT, failures INTEGER, next_check TEXT, detail TEXT)"
        )

    def get(self, site: str) -> SiteState:
        row = self.db.execute(self._SELECT + " WHERE site = ?", (site,)).fetchone()
        return SiteState(*row) if row else SiteState(site)

    def record(self, site: str, outcome: str, now: datetime, detail: str = "") -> SiteState:
        with self.db:
            return self._put(site, outcome, now, detail)

    def record_all(self, outcomes: Iterable[tuple[str, str, str]], now: datetime) -> None:
        """(site, outcome, detail) of many sites in one transaction: a crawl's end records thousands."""
        with self.db:
            for site, outcome, detail in outcomes:
                self._put(site, outcome, now, detail)

    def _put(self, site: str, outcome: str, now: datetime, detail: str) -> SiteState:
        state = next_state(self.get(site), outcome, now, detail)
        self.db.execute("INSERT OR REPLACE INTO sites VALUES (?, ?, ?, ?, ?, ?, ?, ?)", astuple(state))
        return state

    def due(self, now: datetime) -> list[str]:
        """Sites whose next check has come, soonest first."""
        rows = self.db.execute(
            "SELECT site FROM sites WHERE next_check <= ? ORDER BY next_check", (now.isoformat(timespec="seconds"),)
        )
        return [site for (site,) in rows]

    def all(self) -> list[SiteState]:
        return [SiteState(*row) for row in self.db.execute(self._SELECT + " ORDER BY site")]

    def close(self) -> None:
        self.db.close()
