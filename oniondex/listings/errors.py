"""Errors of listing extraction: a profile file that cannot be used says which file, where and why."""

from __future__ import annotations


class ListingError(Exception):
    """Base of this package's errors."""


class ProfileError(ListingError):
    """A profile file is unreadable or breaks the format (profiles/README.md)."""

    def __init__(self, path: str, where: str, reason: str) -> None:
        self.path, self.where, self.reason = path, where, reason
        super().__init__(f"{path}: {where}: {reason}" if where else f"{path}: {reason}")
