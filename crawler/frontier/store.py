"""What a frontier store keeps, and the seam the scheduler uses (`FrontierStore`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Entry:
    """One request of the frontier: its fingerprint (the seen-set key), site and pickled request dict."""

    fp: str
    site: str
    data: bytes


class FrontierStore(Protocol):
    """A frontier shared by one or more workers. A worker crawls only the sites it has `take`n (a lease for
    Redis, every site for SQLite); entries of other sites are kept for whoever takes them."""

    job_id: str

    def resuming(self) -> bool:
        """Whether an unfinished crawl left requests to fetch (checked before anything is added)."""
        ...

    def seen(self, fp: str) -> bool:
        """Whether a request with this fingerprint was ever recorded (most links are: checked before
        serializing the request)."""
        ...

    def add(self, entry: Entry) -> bool:
        """Record a request never seen before as pending; False (nothing written) if it was seen."""
        ...

    def keep(self, entry: Entry) -> None:
        """Pending (again) whatever was seen: a retry of a request in flight."""
        ...

    def done(self, entries: Iterable[Entry]) -> None:
        """Fetched and processed: no longer pending (still seen)."""
        ...

    def holds(self, site: str) -> bool:
        """Whether this worker crawls `site` now (its requests go to the memory queue)."""
        ...

    def take(self) -> list[Entry]:
        """Pending entries of sites newly taken by this worker."""
        ...

    def release(self, site: str) -> None:
        """This worker has nothing of `site` queued or in flight: another may take it."""
        ...

    def waiting_elsewhere(self) -> bool:
        """Whether entries are pending outside this worker's memory queue (leased by others, or not taken
        yet): the worker stays open for them."""
        ...

    def done_per_site(self) -> dict[str, int]:
        """Requests of each site fetched by the unfinished crawl being resumed (for the per-site page cap)."""
        ...

    def flush(self) -> None:
        """Make everything so far durable (and renew leases)."""
        ...

    def close(self) -> None: ...
