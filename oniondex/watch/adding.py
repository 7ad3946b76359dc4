"""Adding a watch, as `oniondex watch add` and the web UI do it: normalise the value, store the watch, and
retro-hunt the index for where it was already seen."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oniondex.watch.records import Alert, Watch
from oniondex.watch.retro import retro_hunt
from oniondex.watch.values import WatchValueError, normalise_watch

if TYPE_CHECKING:
    from oniondex.index.base import Index, SearchQuery
    from oniondex.watch.store import WatchStore

MAX_LABEL_CHARS = 500


@dataclass
class Added:
    watch: Watch
    new: bool  # False: the analyst already watched this value
    past: list[Alert] = field(default_factory=list)  # retro-hunt alerts


def add_watch(
    store: WatchStore,
    index: Index | None,
    analyst: str,
    kind: str,
    raw: str,
    *,
    query: SearchQuery | None = None,
    label: str = "",
    channels: Iterable[str] = (),
    notify: Callable[[Alert], None] | None = None,
) -> Added:
    """`kind` as `normalise_watch` takes it, or `query` with the parsed `query`; `index` None skips the retro-hunt."""
    if not analyst:
        raise WatchValueError("a watch belongs to an analyst: give a name")
    if kind.strip().lower() == "query":
        if query is None or not raw.strip():
            raise WatchValueError("a query watch needs the query text")
        watch, new = store.add_watch(analyst, "query", raw.strip(), label=raw.strip()[:MAX_LABEL_CHARS], query=query)
    else:
        watch_kind, entity_type, value = normalise_watch(kind, raw)
        note = label or (raw.strip() if watch_kind == "vendor" else "")  # a vendor's name as written, for search
        watch, new = store.add_watch(analyst, watch_kind, value, entity_type, note[:MAX_LABEL_CHARS])
    past = retro_hunt(store, index, watch, channels, notify=notify) if new and index is not None else []
    return Added(watch, new, past)
