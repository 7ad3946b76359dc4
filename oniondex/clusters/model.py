"""The typed records of clustering: a page's sketch and identifiers, a cluster, a clone flag and its evidence."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSketch:
    """A page's MinHash as stored (its hash values as bytes, shingles.py) and whether the page has enough
    words to match another site's pages. Small, so the extraction worker process makes it and ships it."""

    values: bytes
    eligible: bool


@dataclass(frozen=True)
class Identifier:
    """One identifier a page shows for a vendor: kind is pgp, payout or contact (contact values typed)."""

    vendor: str  # the vendor's normalised name
    kind: str
    value: str


@dataclass(frozen=True)
class Swap:
    """A vendor identifier the clone shows in place of the original's."""

    vendor: str
    kind: str
    clone_values: tuple[str, ...]  # shown by the clone, not by the original
    original_values: tuple[str, ...]  # shown by the original, not by the clone


@dataclass(frozen=True)
class CloneFlag:
    site: str
    original: str
    swaps: tuple[Swap, ...]

    def swapped_values(self) -> set[str]:
        return {value for swap in self.swaps for value in swap.clone_values}


@dataclass(frozen=True)
class Cluster:
    """Sites whose pages are near-duplicates. `id` is the original's host (see clones.py for the rule)."""

    id: str
    sites: tuple[str, ...]  # every member, the original first
    clones: tuple[CloneFlag, ...] = ()

    @property
    def mirrors(self) -> tuple[str, ...]:
        """Members that are not flagged as clones, the original included."""
        flagged = {flag.site for flag in self.clones}
        return tuple(site for site in self.sites if site not in flagged)

    def flag_of(self, site: str) -> CloneFlag | None:
        return next((flag for flag in self.clones if flag.site == site), None)
