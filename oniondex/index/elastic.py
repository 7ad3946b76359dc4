"""The Elasticsearch backend, on the official client: the shared index for a team.

Writes go through `helpers.streaming_bulk` (chunked, per-item errors, 429s retried with backoff); ids are
the natural ids of documents.py, so a recrawl updates in place. Reads page past the result window with
`search_after`, so callers keep plain offset + limit. Connection failures raise `IndexUnavailable`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers

from oniondex.index import mappings
from oniondex.index.analysis import Term, parse_query
from oniondex.index.base import (
    FACET_SIZE,
    FACETS,
    BulkResult,
    FailedDocument,
    IndexError_,
    IndexUnavailable,
    Pivot,
    SearchHit,
    SearchQuery,
    SearchResult,
)
from oniondex.index.documents import Action, actions_for, doc_key
from oniondex.index.pivot import MAX_SIGHTINGS, build_pivot
from oniondex.index.posts import SEARCHED_KINDS, stored_record

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "oniondex"
RESULT_WINDOW = 10_000  # index.max_result_window: from + size beyond it needs search_after
SORT = [{"_score": "desc"}, {"url": "asc"}]
_PAGE_SOURCE = ["url", "site", "title", "text", "fetched_at", "language"]
STEM_BOOST = 3  # as the embedded index's STEM_BOOST


class ElasticIndex:
    def __init__(
        self,
        client: Elasticsearch,
        prefix: str = DEFAULT_PREFIX,
        window: int = RESULT_WINDOW,
        chunk_size: int = 500,
        max_retries: int = 3,
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.window = window
        self.chunk_size = chunk_size
        self.max_retries = max_retries
        self._ready = False
        self._cjk_fields = ["title.cjk", "text.cjk"]

    @classmethod
    def from_url(cls, url: str, **options: Any) -> ElasticIndex:
        parts = urlsplit(url)
        prefix = parts.path.strip("/") or DEFAULT_PREFIX
        client = Elasticsearch(
            f"{parts.scheme}://{parts.netloc}", request_timeout=30, max_retries=2, retry_on_timeout=True
        )
        return cls(client, prefix=prefix, **options)

    def _alias(self, kind: str) -> str:
        return mappings.alias(self.prefix, kind)

    def ensure(self) -> None:
        """Create what is missing of the layout (templates, indices, aliases); once per instance."""
        if not self._ready:
            with self._errors("apply the mappings"):
                mappings.apply(self.client, self.prefix)
                if "text.nori" in self._field_names("pages"):  # word matches rank above bigram-only ones
                    self._cjk_fields += [f"title.nori^{STEM_BOOST}", f"text.nori^{STEM_BOOST}"]
            self._ready = True

    def _field_names(self, kind: str) -> set[str]:
        found = self.client.indices.get_field_mapping(index=self._alias(kind), fields="title.*,text.*").body
        return {name for index in found.values() for name in index["mappings"]}

    # --- writing -----------------------------------------------------------------------------------

    def add_pages(self, documents: Iterable[dict[str, Any]]) -> BulkResult:
        self.ensure()
        result = BulkResult()
        pages: list[dict[str, Any]] = []
        sent: dict[tuple[str, str], dict[str, Any]] = {}
        with self._errors("bulk index"):
            stream = helpers.streaming_bulk(
                self.client,
                self._bulk_actions(documents, pages, sent),
                chunk_size=self.chunk_size,
                max_chunk_bytes=10 * 1024 * 1024,
                raise_on_error=False,
                max_retries=self.max_retries,
                initial_backoff=0.5,
                max_backoff=8,
            )
            for ok, item in stream:
                failed = None if ok else self._failure(item, sent)
                if failed is not None:
                    result.failed.append(failed)
        failed_pages = {f.id for f in result.failed if f.index in SEARCHED_KINDS}
        result.indexed = sum(1 for p in pages if doc_key(p.get("id") or p["url"]) not in failed_pages)
        return result

    def _bulk_actions(
        self, documents: Iterable[dict[str, Any]], pages: list[dict[str, Any]], sent: dict[tuple[str, str], Any]
    ) -> Iterator[dict[str, Any]]:
        for page in documents:
            pages.append(page)
            for action in actions_for(page):
                sent[(action.kind, action.id)] = page
                yield self._bulk_action(action)

    def _bulk_action(self, action: Action) -> dict[str, Any]:
        head = {"_index": self._alias(action.kind), "_id": action.id}
        if action.replace:
            return {**head, "_op_type": "index", "_source": action.doc}
        if action.create_only:
            return {**head, "_op_type": "create", "_source": action.doc}
        return {**head, "_op_type": "update", "doc": action.doc, "upsert": {**action.on_insert, **action.doc}}

    def _failure(self, item: dict[str, Any], sent: dict[tuple[str, str], Any]) -> FailedDocument | None:
        op, info = next(iter(item.items()))
        if op == "create" and info.get("status") == 409:
            return None  # this version of the page is already stored
        kind = next((k for k in mappings.KINDS if str(info.get("_index", "")).startswith(self._alias(k))), "unknown")
        error = info.get("error") or {}
        reason = error.get("type", f"http_{info.get('status')}") if isinstance(error, dict) else str(error)
        detail = error.get("reason", "") if isinstance(error, dict) else ""
        page = sent.get((kind, info.get("_id", "")), {})
        return FailedDocument(id=info.get("_id", ""), index=kind, reason=reason, detail=detail, document=page)

    def commit(self) -> None:
        self.ensure()
        with self._errors("refresh"):
            self.client.indices.refresh(index=",".join(self._alias(k) for k in mappings.KINDS))

    def close(self) -> None:
        self.client.close()

    # --- reading -----------------------------------------------------------------------------------

    def get(self, doc_id: str) -> dict[str, Any] | None:
        self.ensure()
        with self._errors("get"):
            try:
                found = self.client.get(index=self._alias("pages"), id=doc_key(doc_id))
            except NotFoundError:
                return self._get_post(doc_id)
        return stored_record(found["_source"])

    def _get_post(self, doc_id: str) -> dict[str, Any] | None:
        try:
            found = self.client.get(index=self._alias("posts"), id=doc_key(doc_id))
        except NotFoundError:
            return None
        return stored_record(found["_source"])

    def versions(self, url: str) -> list[dict[str, Any]]:
        rows = self._all("versions", {"term": {"url": url}}, sort=[{"fetched_at": "asc"}])
        return [row["record"] | {"fetched_at": row["fetched_at"]} for row in rows]

    def count(self, kind: str = "pages") -> int:
        self.ensure()
        with self._errors("count"):
            return int(self.client.count(index=self._alias(kind))["count"])

    def pivot(self, entity_value: str) -> Pivot:
        return build_pivot(entity_value, self._all("entities", {"term": {"value": entity_value}}))

    def _all(self, kind: str, query: dict[str, Any], sort: list[Any] | None = None) -> list[dict[str, Any]]:
        self.ensure()
        with self._errors(f"read {kind}"):
            found = self.client.search(index=self._alias(kind), query=query, size=MAX_SIGHTINGS, sort=sort)
        return [hit["_source"] for hit in found["hits"]["hits"]]

    def search(self, query: SearchQuery) -> SearchResult:
        self.ensure()
        es_query = self._build_query(query)
        aggs = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACETS}
        index = ",".join(self._alias(kind) for kind in SEARCHED_KINDS)  # pages and Telegram posts
        with self._errors("search"):
            if query.offset + query.limit <= self.window:
                found = self.client.search(
                    index=index,
                    query=es_query,
                    aggs=aggs,
                    sort=SORT,
                    from_=query.offset,
                    size=query.limit,
                    track_total_hits=True,
                    source=_PAGE_SOURCE,
                )
            else:
                found = self._search_deep(es_query, aggs, query.offset, query.limit)
        hits = [
            SearchHit.from_source(h["_id"], h["_source"], h.get("_score") or 0.0, query.text)
            for h in found["hits"]["hits"]
        ]
        facets = {name: {b["key"]: b["doc_count"] for b in found["aggregations"][name]["buckets"]} for name in FACETS}
        return SearchResult(total=found["hits"]["total"]["value"], hits=hits, facets=facets)

    def _search_deep(self, es_query: dict[str, Any], aggs: dict[str, Any], offset: int, limit: int) -> dict[str, Any]:
        """Offset + limit past the result window: walk to `offset` with search_after, ids only."""
        index = ",".join(self._alias(kind) for kind in SEARCHED_KINDS)  # pages and Telegram posts
        after: list[Any] | None = None
        skipped = 0
        while skipped < offset:
            step = min(self.window, offset - skipped)
            page = self.client.search(
                index=index,
                query=es_query,
                sort=SORT,
                size=step,
                search_after=after,
                source=False,
                track_total_hits=False,
            )["hits"]["hits"]
            if not page:
                break
            after, skipped = page[-1]["sort"], skipped + len(page)
        found = self.client.search(
            index=index,
            query=es_query,
            aggs=aggs,
            sort=SORT,
            size=limit if skipped >= offset else 0,
            search_after=after,
            track_total_hits=True,
            source=_PAGE_SOURCE,
        )
        return found.body

    def _build_query(self, query: SearchQuery) -> dict[str, Any]:
        must: list[dict[str, Any]] = []
        groups = parse_query(query.text)
        if groups:
            word_tags = dict(query.word_tags)
            must.append({"bool": {"should": [self._group(g, word_tags) for g in groups], "minimum_should_match": 1}})
        filters: list[dict[str, Any]] = [{"term": {name: value}} for name, value in query.exact_filters().items()]
        filters.extend({"term": {"tags": tag}} for tag in query.tags)
        if query.date_from or query.date_to:
            filters.append({"range": {"fetched_at": _bounds(query.date_from, query.date_to)}})
        if query.price_min is not None or query.price_max is not None:
            filters.append({"range": {"price": _bounds(query.price_min, query.price_max)}})
        return {"bool": {"must": must or [{"match_all": {}}], "filter": filters}}

    def _group(self, group: list[Term], word_tags: dict[str, str]) -> dict[str, Any]:
        must = [self._word(t, word_tags) for t in group if not t.negated]
        must_not = [self._phrase(t) for t in group if t.negated]
        return {"bool": {"must": must or [{"match_all": {}}], "must_not": must_not}}

    def _word(self, term: Term, word_tags: dict[str, str]) -> dict[str, Any]:
        """The term's phrase, or, for a term that names a drug, the phrase or the drug's tag."""
        tag = word_tags.get(term.text)
        if tag is None:
            return self._phrase(term)
        return {"bool": {"should": [self._phrase(term), {"term": {"tags": tag}}], "minimum_should_match": 1}}

    def _phrase(self, term: Term) -> dict[str, Any]:
        fields = self._cjk_fields if term.cjk else ["title.en", "text.en"]
        return {"multi_match": {"query": term.text, "type": "phrase", "fields": fields}}

    def _errors(self, doing: str) -> _ErrorTranslation:
        return _ErrorTranslation(self, doing)


class _ErrorTranslation:
    """Connection failures → IndexUnavailable; any other server error → IndexError_ naming its type."""

    def __init__(self, index: ElasticIndex, doing: str) -> None:
        self.where = f"Elasticsearch {index.prefix}-* ({doing})"

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool:
        if isinstance(exc, TransportError):  # connection refused, timeouts, TLS: the server is not there
            raise IndexUnavailable(f"{self.where}: unreachable: {exc}") from exc
        if isinstance(exc, ApiError) and not isinstance(exc, NotFoundError):
            raise IndexError_(f"{self.where}: {exc.error}: {exc.info}") from exc
        return False


def _bounds(low: Any, high: Any) -> dict[str, Any]:
    return {k: v for k, v in (("gte", low), ("lte", high)) if v is not None}
