"""The embedded index: tantivy on local disk, no server. The default on one machine."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import tantivy

from oniondex.index.analysis import _CJK, cjk_field, make_snippet
from oniondex.index.base import IndexError_, SearchHit, SearchQuery, SearchResult

logger = logging.getLogger(__name__)

_CJK_WORD_RE = re.compile(rf"[{_CJK}]+")
_FACETS = ("site", "language", "tags", "entity_type")
_WRITER_HEAP = 64 * 1024 * 1024


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in ("id", "site", "language", "tags", "entity", "entity_type", "sha256"):
        builder.add_text_field(name, stored=name in ("id", "site", "language"), fast=True, tokenizer_name="raw")
    builder.add_text_field("url", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("text", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("text_cjk", tokenizer_name="whitespace")
    builder.add_date_field("fetched_at", stored=True, fast=True, indexed=True)
    builder.add_bytes_field("source", stored=True)
    return builder.build()


class EmbeddedIndex:
    """Pages in a tantivy index under `path`. One writer at a time (tantivy's lock); readers any time."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self._index = tantivy.Index(_schema(), path=str(self.path))
        except (OSError, ValueError) as exc:
            raise IndexError_(f"cannot open the embedded index at {self.path}: {exc}") from exc
        self._writer: tantivy.IndexWriter | None = None

    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            try:
                self._writer = self._index.writer(heap_size=_WRITER_HEAP, num_threads=1)
            except ValueError as exc:
                raise IndexError_(
                    f"the embedded index at {self.path} is locked by another writer (a crawl still running?): {exc}"
                ) from exc
        return self._writer

    def add_pages(self, documents: Iterable[dict[str, Any]]) -> int:
        writer = self._get_writer()
        added = 0
        for doc in documents:
            writer.delete_documents_by_term("id", doc["id"])
            writer.add_document(_to_tantivy(doc))
            added += 1
        return added

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None
        self._index.reload()

    def close(self) -> None:
        self.commit()

    def count(self) -> int:
        self._index.reload()
        return self._index.searcher().num_docs

    def get(self, doc_id: str) -> dict[str, Any] | None:
        self._index.reload()
        searcher = self._index.searcher()
        found = searcher.search(tantivy.Query.term_query(self._index.schema, "id", doc_id), 1).hits
        return _source(searcher.doc(found[0][1])) if found else None

    def search(self, query: SearchQuery) -> SearchResult:
        self._index.reload()
        searcher = self._index.searcher()
        tquery = self._build_query(query)
        result = searcher.search(tquery, limit=query.limit, offset=query.offset, count=True)
        hits = [self._hit(searcher.doc(address), score, query.text) for score, address in result.hits]
        return SearchResult(total=result.count or 0, hits=hits, facets=self._facets(searcher, tquery))

    def _build_query(self, query: SearchQuery) -> tantivy.Query:
        schema = self._index.schema
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        if query.text.strip():
            # CJK words become bigram phrases on text_cjk (see analysis.py); the rest goes to the parser.
            text = _CJK_WORD_RE.sub(lambda m: f'text_cjk:"{cjk_field(m.group())}"', query.text)
            parsed, _errors = self._index.parse_query_lenient(text, ["title", "text"])
            clauses.append((tantivy.Occur.Must, parsed))
        filters = {"site": query.site, "language": query.language, "entity": query.entity}
        for name, value in filters.items():
            if value:
                clauses.append((tantivy.Occur.Must, tantivy.Query.term_query(schema, name, value)))
        clauses.extend((tantivy.Occur.Must, tantivy.Query.term_query(schema, "tags", t)) for t in query.tags)
        if not clauses:
            return tantivy.Query.all_query()
        return tantivy.Query.boolean_query(clauses)

    def _hit(self, doc: tantivy.Document, score: float, text_query: str) -> SearchHit:
        source = _source(doc)
        return SearchHit(
            id=source["id"],
            url=source["url"],
            site=source["site"],
            title=source.get("title", ""),
            snippet=make_snippet(source.get("text", ""), text_query),
            score=float(score),
            fetched_at=source.get("fetched_at", ""),
            language=source.get("language", "und"),
        )

    def _facets(self, searcher: tantivy.Searcher, tquery: tantivy.Query) -> dict[str, dict[str, int]]:
        aggs = {name: {"terms": {"field": name, "size": 20}} for name in _FACETS}
        result = searcher.aggregate(tquery, aggs)
        return {name: {b["key"]: b["doc_count"] for b in result.get(name, {}).get("buckets", [])} for name in _FACETS}


def _to_tantivy(doc: dict[str, Any]) -> tantivy.Document:
    entities = doc.get("entities", [])
    fields: dict[str, Any] = {
        "id": doc["id"],
        "url": doc["url"],
        "site": doc["site"],
        "language": doc.get("language", "und"),
        "tags": list(doc.get("tags", [])),
        "entity": [e["value"] for e in entities],
        "entity_type": sorted({e["type"] for e in entities}),
        "sha256": doc.get("sha256", ""),
        "title": doc.get("title", ""),
        "text": doc.get("text", ""),
        "text_cjk": cjk_field(doc.get("title", "") + "\n" + doc.get("text", "")),
        "fetched_at": datetime.fromisoformat(doc["fetched_at"]),
        "source": json.dumps(doc, ensure_ascii=False).encode("utf-8"),
    }
    return tantivy.Document(**{k: v for k, v in fields.items() if v not in ([], "")})


def _source(doc: tantivy.Document) -> dict[str, Any]:
    return json.loads(bytes(doc["source"][0]).decode("utf-8"))
