"""Watchlists and alerts: an analyst's watches (an entity, a vendor, a saved query, a page or a site), checked
against every new capture; a first sighting, a new query match, a change, a disappearance or a return becomes
an alert with its evidence, kept per analyst and delivered by webhook and e-mail.

Pure library code (no Scrapy): `pipelines/watch.py` feeds it the crawl's captures, `oniondex watch` /
`oniondex alerts` and `web/watch.py` read and edit the store.
"""

from __future__ import annotations

from oniondex.watch.records import ALERT_KINDS, WATCH_KINDS, Alert, Capture, Watch
from oniondex.watch.store import WatchStore
from oniondex.watch.values import WatchValueError, normalise_watch

__all__ = [
    "ALERT_KINDS",
    "WATCH_KINDS",
    "Alert",
    "Capture",
    "Watch",
    "WatchStore",
    "WatchValueError",
    "normalise_watch",
]
