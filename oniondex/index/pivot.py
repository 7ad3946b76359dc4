"""Pivots: every page, site and vendor where one entity value appears, with first and last seen.

Both backends fetch the entity sightings (one `entities` document per value and page) and fold them here,
so a pivot reads the same whatever the backend.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from oniondex.index.base import Pivot, Seen

MAX_SIGHTINGS = 10_000


def build_pivot(value: str, sightings: Iterable[dict[str, Any]]) -> Pivot:
    rows = sorted(sightings, key=lambda s: (s["first_seen"], s["url"]))
    pages = [Seen(s["url"], s["site"], s["first_seen"], s["last_seen"]) for s in rows]
    sites = _fold((s["site"], s) for s in rows)
    vendors = _fold(((name, s) for s in rows for name in s.get("vendor", [])), keep_site=True)
    return Pivot(
        value=value,
        types=sorted({s["type"] for s in rows}),
        pages=pages,
        sites=sites,
        vendors=vendors,
        first_seen=min((s["first_seen"] for s in rows), default=""),
        last_seen=max((s["last_seen"] for s in rows), default=""),
    )


def _fold(keyed: Iterable[tuple[str, dict[str, Any]]], keep_site: bool = False) -> list[Seen]:
    folded: dict[tuple[str, str], Seen] = {}
    for key, s in keyed:
        group = (key, s["site"] if keep_site else "")
        old = folded.get(group)
        folded[group] = Seen(
            key,
            s["site"] if keep_site or old is None else old.site,
            min(s["first_seen"], old.first_seen) if old else s["first_seen"],
            max(s["last_seen"], old.last_seen) if old else s["last_seen"],
            (old.pages + 1) if old else 1,
        )
    return sorted(folded.values(), key=lambda seen: (seen.first_seen, seen.key))
