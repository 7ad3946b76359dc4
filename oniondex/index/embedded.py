"""The embedded index: tantivy on local disk, no server. The default on one machine.

One tantivy index holds every document kind (documents.py), told apart by the `kind` field; `key`
(kind + id) is the unique key that writes replace.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import tantivy

from oniondex.index.analysis import Term, cjk_tokens, parse_query
from oniondex.index.base import (
    FACET_SIZE,
    FACETS,
    BulkResult,
    IndexError_,
    Pivot,
    SearchHit,
    SearchQuery,
    SearchResult,
)
from oniondex.index.documents import Action, actions_for, doc_key
from oniondex.index.pivot import MAX_SIGHTINGS, build_pivot
from oniondex.index.posts import SEARCHED_KINDS

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "2"
_KEYWORDS = ("key", "id", "kind", "site", "url", "language", "tags", "entity", "entity_type", "currency", "vendor")
_WRITER_HEAP = 64 * 1024 * 1024


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in _KEYWORDS:
        builder.add_text_field(name, stored=name == "key", fast=True, tokenizer_name="raw")
    builder.add_text_field("title", tokenizer_name="en_stem")
    builder.add_text_field("text", tokenizer_name="en_stem")
    builder.add_text_field("text_cjk", tokenizer_name="whitespace")
    builder.add_date_field("fetched_at", fast=True, indexed=True)
    builder.add_float_field("price", fast=True, indexed=True)
    builder.add_bytes_field("source", stored=True)
    return builder.build()


class EmbeddedIndex:
    """Documents in a tantivy index under `path`. One writer at a time (tantivy's lock); readers any time."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        marker = self.path / "oniondex-schema"
        if any(self.path.glob("meta.json")) and (not marker.exists() or marker.read_text() != SCHEMA_VERSION):
            raise IndexError_(f"{self.path} holds an index of an older layout: delete it and recrawl (or reindex)")
        try:
            self._index = tantivy.Index(_schema(), path=str(self.path))
        except (OSError, ValueError) as exc:
            raise IndexError_(f"cannot open the embedded index at {self.path}: {exc}") from exc
        marker.write_text(SCHEMA_VERSION)
        self._writer: tantivy.IndexWriter | None = None
        self._pending: dict[str, dict[str, Any]] = {}  # key → document written since the last commit

    # --- writing -----------------------------------------------------------------------------------

    def add_pages(self, documents: Iterable[dict[str, Any]]) -> BulkResult:
        result = BulkResult()
        for page in documents:
            for action in actions_for(page):
                self._apply(action)
            result.indexed += 1
        return result

    def _apply(self, action: Action) -> None:
        key = f"{action.kind}\x1f{action.id}"
        old = None if action.replace else self._pending.get(key) or self._stored(key)
        if action.create_only and old is not None:
            return
        doc = {**(old or action.on_insert), **action.doc, "id": action.id, "kind": action.kind}
        writer = self._get_writer()
        writer.delete_documents_by_term("key", key)
        writer.add_document(_to_tantivy(key, doc))
        self._pending[key] = doc

    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            try:
                self._writer = self._index.writer(heap_size=_WRITER_HEAP, num_threads=1)
            except ValueError as exc:
                raise IndexError_(
                    f"the embedded index at {self.path} is locked by another writer (a crawl still running?): {exc}"
                ) from exc
        return self._writer

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None
        self._pending.clear()
        self._index.reload()

    def close(self) -> None:
        self.commit()

    # --- reading -----------------------------------------------------------------------------------

    def _term(self, field: str, value: str) -> tantivy.Query:
        return tantivy.Query.term_query(self._index.schema, field, value)

    def _stored(self, key: str) -> dict[str, Any] | None:
        found = self._find(self._term("key", key), 1)
        return found[0] if found else None

    def _find(self, query: tantivy.Query, limit: int) -> list[dict[str, Any]]:
        searcher = self._index.searcher()
        return [_source(searcher.doc(address)) for _score, address in searcher.search(query, limit).hits]

    def _kind(self, kind: str, *clauses: tantivy.Query) -> tantivy.Query:
        must = [self._term("kind", kind), *clauses]
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in must])

    def get(self, doc_id: str) -> dict[str, Any] | None:
        self._index.reload()
        found = self._stored(f"pages\x1f{doc_key(doc_id)}") or self._stored(f"posts\x1f{doc_key(doc_id)}")
        return found["record"] if found else None

    def versions(self, url: str) -> list[dict[str, Any]]:
        self._index.reload()
        found = self._find(self._kind("versions", self._term("url", url)), 10_000)
        return sorted((v["record"] | {"fetched_at": v["fetched_at"]} for v in found), key=lambda v: v["fetched_at"])

    def count(self, kind: str = "pages") -> int:
        self._index.reload()
        return int(self._index.searcher().search(self._term("kind", kind), 1, count=True).count or 0)

    def pivot(self, entity_value: str) -> Pivot:
        self._index.reload()
        sightings = self._find(self._kind("entities", self._term("entity", entity_value)), MAX_SIGHTINGS)
        return build_pivot(entity_value, sightings)

    def search(self, query: SearchQuery) -> SearchResult:
        self._index.reload()
        searcher = self._index.searcher()
        tquery = self._build_query(query)
        result = searcher.search(tquery, limit=query.limit, offset=query.offset, count=True)
        sources = [(_source(searcher.doc(address)), score) for score, address in result.hits]
        hits = [SearchHit.from_source(src["id"], src, score, query.text) for src, score in sources]
        return SearchResult(total=result.count or 0, hits=hits, facets=self._facets(searcher, tquery))

    def _build_query(self, query: SearchQuery) -> tantivy.Query:
        schema = self._index.schema
        clauses: list[tantivy.Query] = [self._searched_kinds()]
        groups = parse_query(query.text)
        if groups:
            clauses.append(self._text_query(groups))
        clauses.extend(self._term(name, value) for name, value in query.exact_filters().items())
        clauses.extend(self._term("tags", tag) for tag in query.tags)
        if query.date_from or query.date_to:
            low, high = (_date(d) if d else None for d in (query.date_from, query.date_to))
            clauses.append(tantivy.Query.range_query(schema, "fetched_at", tantivy.FieldType.Date, low, high))
        if query.price_min is not None or query.price_max is not None:
            low_p, high_p = query.price_min, query.price_max
            clauses.append(tantivy.Query.range_query(schema, "price", tantivy.FieldType.Float, low_p, high_p))
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in clauses])

    def _searched_kinds(self) -> tantivy.Query:
        # Telegram posts are searched with the pages (oniondex/index/posts.py).
        kinds = [(tantivy.Occur.Should, self._term("kind", kind)) for kind in SEARCHED_KINDS]
        return tantivy.Query.boolean_query(kinds)

    def _text_query(self, groups: list[list[Term]]) -> tantivy.Query:
        ored = []
        for group in groups:
            clauses = [(tantivy.Occur.MustNot if t.negated else tantivy.Occur.Must, self._phrase(t)) for t in group]
            if all(t.negated for t in group):
                clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
            ored.append((tantivy.Occur.Should, tantivy.Query.boolean_query(clauses)))
        return tantivy.Query.boolean_query(ored)

    def _phrase(self, term: Term) -> tantivy.Query:
        if term.cjk:
            tokens = cjk_tokens(term.text)
            if len(tokens) == 1:
                return self._term("text_cjk", tokens[0])
            return tantivy.Query.phrase_query(self._index.schema, "text_cjk", tokens)
        # Words are \w runs only, so quoting them is safe; the parser applies the fields' stemming.
        return self._index.parse_query(f'"{term.text}"', ["title", "text"])

    def _facets(self, searcher: tantivy.Searcher, tquery: tantivy.Query) -> dict[str, dict[str, int]]:
        aggs = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACETS}
        result = searcher.aggregate(tquery, aggs)
        return {name: {b["key"]: b["doc_count"] for b in result.get(name, {}).get("buckets", [])} for name in FACETS}


def _date(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _to_tantivy(key: str, doc: dict[str, Any]) -> tantivy.Document:
    fields: dict[str, Any] = {name: doc.get(name) for name in _KEYWORDS if name != "key"}
    if doc["kind"] == "entities":
        fields.update(entity=doc["value"], entity_type=doc["type"])
    fields.update(key=key, title=doc.get("title"), text=doc.get("text"), price=doc.get("price"))
    if doc["kind"] in SEARCHED_KINDS:
        fields["text_cjk"] = " ".join(cjk_tokens(doc.get("title", "") + "\n" + doc.get("text", "")))
        fields["fetched_at"] = _date(doc["fetched_at"])
    fields["source"] = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    return tantivy.Document(**{k: v for k, v in fields.items() if v not in (None, [], "")})


def _source(doc: tantivy.Document) -> dict[str, Any]:
    return json.loads(bytes(doc["source"][0]).decode("utf-8"))
