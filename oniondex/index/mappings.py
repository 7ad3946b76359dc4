"""Elasticsearch index layout: index_mappings/<kind>.json, versioned names behind aliases.

Each kind lives in the index `<prefix>-<kind>-v<N>` (N = the file's `mappings._meta.version`), reached
only through the alias `<prefix>-<kind>`. `apply` pushes each file as an index template for exactly that
versioned name, creates the index and points the alias at it. To change a mapping: edit the file, bump its
version, then `reindex` (oniondex index reindex KIND) copies the documents into the new index and swaps
the alias in one atomic request, so searches never see a half-filled index.

Only features Elasticsearch 7.9 already had are used (composable templates, `_meta`, typeless mappings),
so the same files work on 7.9 through 9.x. The nori subfield is added only where the cluster has the
analysis-nori plugin (see `with_plugins` in the files).
"""

from __future__ import annotations

import copy
import json
import logging
from functools import cache
from typing import TYPE_CHECKING, Any

from oniondex.bundled import bundled
from oniondex.index.documents import KINDS

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch

logger = logging.getLogger(__name__)

MAPPINGS_DIR = bundled("index_mappings")
NORI = "analysis-nori"
TEXT_FIELDS = {"pages": ("title", "text"), "listings": ("title",), "posts": ("title", "text")}


@cache
def load(kind: str) -> dict[str, Any]:
    path = MAPPINGS_DIR / f"{kind}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the mapping for {kind!r} at {path}: {exc}") from exc


def version(kind: str) -> int:
    return int(load(kind)["mappings"]["_meta"]["version"])


def alias(prefix: str, kind: str) -> str:
    return f"{prefix}-{kind}"


def index_name(prefix: str, kind: str, at_version: int | None = None) -> str:
    return f"{prefix}-{kind}-v{version(kind) if at_version is None else at_version}"


def body(kind: str, plugins: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Settings and mappings for one kind, with the plugin-only parts merged in where the plugin exists."""
    spec = copy.deepcopy(load(kind))
    settings, mappings = spec["settings"], spec["mappings"]
    for plugin, extra in spec.get("with_plugins", {}).items():
        if plugin not in plugins:
            continue
        for section, values in extra["settings"]["analysis"].items():
            settings.setdefault("analysis", {}).setdefault(section, {}).update(values)
        for field in TEXT_FIELDS.get(kind, ()):
            mappings["properties"][field]["fields"].update(extra["text_subfields"])
    return {"settings": settings, "mappings": mappings}


def installed_plugins(client: Elasticsearch) -> frozenset[str]:
    rows = client.cat.plugins(format="json")
    return frozenset(row["component"] for row in rows.body)


def apply(client: Elasticsearch, prefix: str) -> dict[str, str]:
    """Templates, indices and aliases for every kind, creating only what is missing. Returns alias → index."""
    plugins = installed_plugins(client)
    applied = {}
    for kind in KINDS:
        name = index_name(prefix, kind)
        spec = body(kind, plugins)
        client.indices.put_index_template(name=name, index_patterns=[name], template=spec, priority=100)
        if not client.indices.exists(index=name):
            client.indices.create(index=name)
            logger.info("created index %s", name)
        if not client.indices.exists_alias(name=alias(prefix, kind)):
            client.indices.put_alias(index=name, name=alias(prefix, kind))
        applied[alias(prefix, kind)] = name
    return applied


def reindex(client: Elasticsearch, prefix: str, kind: str, delete_old: bool = False) -> str:
    """Copy `kind` into the index for the file's current version and move the alias there atomically."""
    target = index_name(prefix, kind)
    current = list(client.indices.get_alias(name=alias(prefix, kind)).body)
    if current == [target]:
        raise ValueError(f"{alias(prefix, kind)} already points at {target}: bump mappings._meta.version first")
    spec = body(kind, installed_plugins(client))
    client.indices.put_index_template(name=target, index_patterns=[target], template=spec, priority=100)
    client.indices.create(index=target)
    client.reindex(
        source={"index": alias(prefix, kind)}, dest={"index": target}, wait_for_completion=True, refresh=True
    )
    swap = [{"remove": {"index": old, "alias": alias(prefix, kind)}} for old in current]
    client.indices.update_aliases(actions=[*swap, {"add": {"index": target, "alias": alias(prefix, kind)}}])
    if delete_old:
        client.indices.delete(index=",".join(current))
    return target
