"""The embedded index: tantivy on local disk, no server. The default on one machine.

One tantivy index holds every document kind (documents.py), told apart by the `kind` field; `key`
(kind + id) is the unique key that writes replace.

At a million pages (bench/index.py): writes go in batches, with one look-up of every stored document
the batch upserts and one commit per batch; the writer stays open between commits. Ranking, counting and
faceting cost time per matching page, so a text search with more than EXACT_MATCHES candidate pages runs
on a fixed, deterministic sample of the pages instead (page in sample level L when the low L bits of a
hash of its key are zero; the level chosen so that about EXACT_MATCHES candidates remain): the total and
the facets are scaled up and flagged `estimated`, the hits are the best of that sample. Searches with no
text (filters only: pivots, exports, browsing) are always exact and complete.

A page crawled once carries its version, entity sightings and listings (the CARRIED kinds) in its own
document instead of beside it: at a first crawl they are exactly what the page's record makes (documents.py),
so `versions`, `pivot` and `count` derive them from the record on reading, and a first crawl writes one
document a page (plus a batch's vendors and sites) instead of three or more. When the page is crawled again
its carried documents are written out in full first, and the merge goes on as if they had always been there
(first seen times, old versions kept). A page whose carried keys are written already (an id that is not its
URL, a sighting written by another route) carries nothing. A listing is carried only when it names its own
page's URL; one naming another page's URL is written, and when that page carries listings (one could share
the key) the page's carried documents are written out first, as at a recrawl.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import tantivy

from oniondex.collector import collector_paused
from oniondex.index import korean
from oniondex.index.analysis import ChunkFields, Term, cjk_field_of_chunks, cjk_tokens, parse_query, text_chunks
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
from oniondex.index.documents import Action, actions_for, doc_key, page_actions, page_document
from oniondex.index.pivot import MAX_SIGHTINGS, build_pivot
from oniondex.index.posts import SEARCHED_KINDS, stored_record

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "5"
# No field for what no search reads (a document's id and title are in its source; a page's title is searched
# in `text`): each is one more field for tantivy to index and merge, the id a unique term a document.
_KEYWORDS = ("key", "kind", "site", "url", "language", "tags", "entity", "entity_type", "currency", "vendor")
# Sized for 2 cores: one indexing thread beside the Python thread that builds the documents.
_WRITER_HEAP = 256 * 1024 * 1024
_WRITER_THREADS = 1
_COPIED = ("site", "url", "language", "tags", "entity", "entity_type", "currency", "vendor", "text")
SAMPLE_LEVELS = 10  # level L holds about 1/2**L of the pages
# Past this many candidates a text search runs on a sample (the module doc); a search costs about 3 µs a
# candidate and evaluates them twice (hits, then facets): 10,000 keeps it near 60 ms at any index size, and a
# sample of 5,000-10,000 pages puts a total within about 1.5% (bench/index.py measures the error).
EXACT_MATCHES = 10_000
PROBE_PAGES = 2_000  # about how many pages the sample has that estimates a search's candidates first
STEM_BOOST = 3.0  # a Korean word matched as a word (stem) ranks above one found only inside another word
CARRIED = ("versions", "entities", "listings")  # the kinds a page crawled once carries (the module doc)
# The fast field that counts a page's carried documents of a kind, for `count` (a page has one version).
_CARRIED_COUNTS = {"entities": "carried_entities", "listings": "carried_listings"}


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in _KEYWORDS:
        # Columns only where facets count; unique values (keys, urls) as columns would slow every merge.
        builder.add_text_field(name, fast=name in FACETS, tokenizer_name="raw")
    builder.add_text_field("text", tokenizer_name="en_stem")
    builder.add_text_field("text_cjk", tokenizer_name="whitespace")
    builder.add_text_field("text_ko", tokenizer_name="whitespace")  # Korean stems (korean.py)
    builder.add_text_field("sample", tokenizer_name="raw")
    builder.add_date_field("fetched_at", fast=True, indexed=True)
    builder.add_float_field("price", fast=True, indexed=True)
    builder.add_bytes_field("source", stored=True)
    builder.add_text_field("carries", tokenizer_name="raw")  # the CARRIED kinds a page document carries
    for name in _CARRIED_COUNTS.values():  # how many sightings and listings: `count` sums them
        builder.add_unsigned_field(name, fast=True)
    return builder.build()


class EmbeddedIndex:
    """Documents in a tantivy index under `path`. One writer at a time (tantivy's lock); readers any time."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        marker = self.path / "oniondex-schema"
        if not (self.path / "meta.json").exists():
            # Marked before tantivy writes meta.json: a second opener at the same moment (the demo's onion and
            # Telegram crawls) never sees a new index without its marker and takes it for an old one.
            marker.write_text(SCHEMA_VERSION)
        elif not marker.exists() or marker.read_text() != SCHEMA_VERSION:
            raise IndexError_(f"{self.path} holds an index of an older layout: delete it and recrawl (or reindex)")
        try:
            self._index = tantivy.Index(_schema(), path=str(self.path))
        except (OSError, ValueError) as exc:
            raise IndexError_(f"cannot open the embedded index at {self.path}: {exc}") from exc
        marker.write_text(SCHEMA_VERSION)
        self._schema = self._index.schema
        self._writer: tantivy.IndexWriter | None = None
        self._pending: dict[str, dict[str, Any]] = {}  # key → document written since the last commit

    # --- writing -----------------------------------------------------------------------------------

    def add_pages(self, documents: Iterable[dict[str, Any]]) -> BulkResult:
        result = BulkResult()
        groups = []  # each page's actions, page first
        with collector_paused():
            for page in documents:
                groups.append(list(actions_for(page)))
                result.indexed += 1
            actions = [a for group in groups for a in group]
            stored = self._stored_many([a for a in actions if not a.replace])
            writer = self._get_writer()
            # Each key is written once a batch, as its last action leaves it: a site's document, merged into by
            # every page of the site, is one write a batch, not one a page.
            for key, (doc, existed) in self._merged(groups, stored).items():
                if existed:  # a new key has nothing to delete (most writes of a crawl)
                    writer.delete_documents_by_term("key", key)
                writer.add_document(_to_tantivy(key, doc, self._schema))
                self._pending[key] = doc
        return result

    def _merged(
        self, groups: list[list[Action]], stored: dict[str, dict[str, Any]]
    ) -> dict[str, tuple[dict[str, Any], bool]]:
        """key → (the document the batch's actions leave, whether an earlier one may be in the index)."""
        replaced = {k for g in groups for a in g if a.replace and (k := _key(a.kind, a.id)) not in self._pending}
        # Whole documents are looked up only when one count says any of them is indexed already (a first crawl's
        # pages are not: then their writes need no deletes, which every commit applies to every segment).
        old_pages = self._committed_pages(replaced) if replaced else {}
        replacing = bool(old_pages)
        named = {k for g in groups for a in g if (k := _named_page(a, g[0])) and k not in self._pending}
        named_pages = self._committed_pages(named) if named else {}
        merged: dict[str, tuple[dict[str, Any], bool]] = {}
        for group in groups:
            carried = self._carried(group, merged, stored, old_pages)
            for action in group:
                if action.kind in carried and _carried_by(action, group[0]):
                    continue
                key = _key(action.kind, action.id)
                if (page_key := _named_page(action, group[0])) and not (key in self._pending or key in stored):
                    self._write_out_named(page_key, merged, named_pages)
                if key in merged:
                    old, existed = merged[key]
                else:
                    old = self._pending.get(key) or stored.get(key)
                    existed = old is not None
                if action.replace:
                    old, existed = None, existed or replacing
                elif action.create_only and old is not None:
                    continue
                doc = {**(old or action.on_insert), **action.doc, "id": action.id, "kind": action.kind}
                merged[key] = (doc, existed)
            if carried:
                merged[_key(group[0].kind, group[0].id)][0]["carries"] = carried
        return merged

    def _carried(
        self,
        group: list[Action],
        merged: dict[str, tuple[dict[str, Any], bool]],
        stored: dict[str, dict[str, Any]],
        old_pages: dict[str, dict[str, Any]],
    ) -> dict[str, int]:
        """Which of a page's documents its page document carries (CARRIED kind → how many). A page indexed
        already that carried its own first has them written out into `merged` here, as stored documents."""
        head = group[0]
        if head.kind != "pages":
            return {}
        key = _key(head.kind, head.id)
        old = merged[key][0] if key in merged else self._pending.get(key) or old_pages.get(key)
        if old is not None:
            if old.get("carries"):
                _write_out(old, merged)
            return {}
        if head.id != doc_key(head.doc["url"]):
            return {}
        own = {_key(a.kind, a.id): a.kind for a in group[1:] if _carried_by(a, head)}
        if any(k in merged or k in self._pending or k in stored for k in own):
            return {}
        carried: dict[str, int] = {}
        for kind in own.values():  # by key: two equal sightings on a page are one document
            carried[kind] = carried.get(kind, 0) + 1
        return carried

    def _write_out_named(
        self, page_key: str, merged: dict[str, tuple[dict[str, Any], bool]], committed: dict[str, dict[str, Any]]
    ) -> None:
        """Before another page's listing names this page: if the page carries listings (one may have the same
        key), its carried documents are written out and it is written again carrying none."""
        if page_key in merged:
            page, existed = merged[page_key]
        else:
            page, existed = self._pending.get(page_key) or committed.get(page_key), True
        if page is None or "listings" not in page.get("carries", {}):
            return
        _write_out(page, merged)
        merged[page_key] = ({k: v for k, v in page.items() if k != "carries"}, existed)

    def _committed_pages(self, keys: set[str]) -> dict[str, dict[str, Any]]:
        """The committed page documents of these keys; one count first, so a first crawl fetches none."""
        query = tantivy.Query.term_set_query(self._schema, "key", sorted(keys))
        searcher = self._index.searcher()
        found = searcher.search(query, limit=1, count=True).count or 0
        if not found:
            return {}
        return {_key(doc["kind"], doc["id"]): doc for doc in self._find(query, found)}

    def _stored_many(self, actions: list[Action]) -> dict[str, dict[str, Any]]:
        """The committed documents of the keys these actions merge into, in one search."""
        keys = sorted({k for a in actions if (k := _key(a.kind, a.id)) not in self._pending})
        if not keys:
            return {}
        query = tantivy.Query.term_set_query(self._index.schema, "key", keys)
        return {_key(doc["kind"], doc["id"]): doc for doc in self._find(query, len(keys))}

    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            try:
                self._writer = self._index.writer(heap_size=_WRITER_HEAP, num_threads=_WRITER_THREADS)
            except ValueError as exc:
                raise IndexError_(
                    f"the embedded index at {self.path} is locked by another writer (a crawl still running?): {exc}"
                ) from exc
        return self._writer

    def commit(self) -> None:
        """Make every write so far durable and searchable. The writer (and tantivy's lock) stays for the next
        batch; merges go on in the background."""
        if self._writer is not None:
            self._writer.commit()
        self._pending.clear()
        self._index.reload()

    def close(self) -> None:
        """Commit, finish the merges and release the writer's lock."""
        self.commit()
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None

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
        found = self._stored(_key("pages", doc_key(doc_id))) or self._stored(_key("posts", doc_key(doc_id)))
        return stored_record(found) if found else None

    def versions(self, url: str) -> list[dict[str, Any]]:
        self._index.reload()
        found = self._find(self._kind("versions", self._term("url", url)), 10_000)
        found += self._carried_documents("versions", self._term("url", url), 10_000)
        return sorted((v["record"] | {"fetched_at": v["fetched_at"]} for v in found), key=lambda v: v["fetched_at"])

    def count(self, kind: str = "pages") -> int:
        self._index.reload()
        searcher = self._index.searcher()
        written = int(searcher.search(self._term("kind", kind), 1, count=True).count or 0)
        if kind == "versions":  # a page carries one version at most
            return written + int(searcher.search(self._term("carries", kind), 1, count=True).count or 0)
        if kind in _CARRIED_COUNTS:
            sums = searcher.aggregate(self._term("carries", kind), {"n": {"sum": {"field": _CARRIED_COUNTS[kind]}}})
            return written + int(sums["n"]["value"] or 0)
        return written

    def pivot(self, entity_value: str) -> Pivot:
        self._index.reload()
        sightings = self._find(self._kind("entities", self._term("entity", entity_value)), MAX_SIGHTINGS)
        carried = self._carried_documents("entities", self._term("entity", entity_value), MAX_SIGHTINGS)
        sightings += [s for s in carried if s["value"] == entity_value]
        return build_pivot(entity_value, sightings[:MAX_SIGHTINGS])

    def _carried_documents(self, kind: str, clause: tantivy.Query, limit: int) -> list[dict[str, Any]]:
        """The `kind` documents the page documents matching `clause` carry, made from their records as the
        write would have made them (documents.page_actions)."""
        pages = self._find(self._kind("pages", self._term("carries", kind), clause), limit)
        return [_new_document(a) for page in pages for a in page_actions(page["record"]) if a.kind == kind]

    def search(self, query: SearchQuery) -> SearchResult:
        self._index.reload()
        searcher = self._index.searcher()
        groups = parse_query(query.text)
        level = self._sample_level(searcher, query, groups)
        tquery = self._build_query(query, groups, level)
        result = searcher.search(tquery, limit=max(query.limit, 1), offset=query.offset, count=True)
        sources = [(_source(searcher.doc(address)), score) for score, address in result.hits[: query.limit]]
        hits = [SearchHit.from_source(src["id"], src, score, query.text) for src, score in sources]
        scale = 1 << level
        facets = {
            name: {value: count * scale for value, count in counts.items()}
            for name, counts in self._facets(searcher, tquery).items()
        }
        return SearchResult(
            total=(result.count or 0) * scale, hits=hits, facets=facets, estimated=level > 0, sample_fraction=1 / scale
        )

    def _sample_level(self, searcher: tantivy.Searcher, query: SearchQuery, groups: list[list[Term]]) -> int:
        """0 (exact) unless the query has text and more candidates than EXACT_MATCHES: then the smallest
        sample level that brings them under it. Candidates = pages matching every filter and word (phrases
        without their positions), counted on the probe sample."""
        if not groups:
            return 0
        # The probe sample: about PROBE_PAGES of the searched pages (level 1 holds half of them), so the probe
        # costs the same at any index size and counts enough candidates to choose the level.
        searched = 2 * searcher.doc_freq("sample", "s1")
        probe = min(SAMPLE_LEVELS, max(1, (searched // PROBE_PAGES).bit_length()))
        loose = self._build_query(query, groups, probe, positions=False)
        estimate = (searcher.search(loose, limit=1, count=True).count or 0) << probe
        level = 0
        while estimate >> level > EXACT_MATCHES and level < SAMPLE_LEVELS:
            level += 1
        return level

    def _build_query(
        self, query: SearchQuery, groups: list[list[Term]], level: int = 0, positions: bool = True
    ) -> tantivy.Query:
        schema = self._index.schema
        # Only the searched kinds carry sample levels (_to_tantivy): a sample's term selects them alone, where
        # the union of the kinds would be seeked into for every candidate.
        clauses = [self._term("sample", f"s{level}") if level else self._searched_kinds()]
        if groups:
            # Scored zero: the sample's own term is counted once, by the clause above.
            within = tantivy.Query.boost_query(clauses[0], 0.0) if level else None
            clauses.append(self._text_query(groups, positions, dict(query.word_tags), within))
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

    def _text_query(
        self,
        groups: list[list[Term]],
        positions: bool = True,
        word_tags: dict[str, str] | None = None,
        within: tantivy.Query | None = None,
    ) -> tantivy.Query:
        ored = []
        for group in groups:
            clauses = [
                (
                    tantivy.Occur.MustNot if t.negated else tantivy.Occur.Must,
                    self._word(t, positions, word_tags or {}, within),
                )
                for t in group
            ]
            if all(t.negated for t in group):
                clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
            ored.append(tantivy.Query.boolean_query(clauses))
        if len(ored) == 1:
            return tantivy.Query.boolean_query([(tantivy.Occur.Should, ored[0])])
        return _any(ored, within)

    def _word(
        self, term: Term, positions: bool, word_tags: dict[str, str], within: tantivy.Query | None = None
    ) -> tantivy.Query:
        """The term's phrase, or, for a term that names a drug, the phrase or the drug's tag."""
        phrase = self._phrase(term, positions, within)
        tag = None if term.negated else word_tags.get(term.text)
        if tag is None:
            return phrase
        return _any([phrase, self._term("tags", tag)], within)

    def _phrase(self, term: Term, positions: bool = True, within: tantivy.Query | None = None) -> tantivy.Query:
        """The term as a phrase; with `positions=False` only its words, all of them (a cheap superset).
        A Korean term matches its stems (korean.py) or its bigrams, stems first."""
        if term.cjk:
            bigrams = self._bigrams(cjk_tokens(term.text), positions)
            stems = korean.stems(term.text)
            if not positions or not stems or len(stems) != len(term.words):
                return bigrams
            if len(stems) == 1:
                by_stem = self._term("text_ko", stems[0])
            else:
                by_stem = tantivy.Query.phrase_query(self._index.schema, "text_ko", stems)
            boosted = tantivy.Query.boost_query(by_stem, STEM_BOOST)
            if _stem_within_bigrams(term, stems):
                # Every page of the stem has the bigrams too: the same matches and scores (the stem's score
                # added where it matches) without a union, which under the search's intersection would step
                # the bigram phrase through every page of its window instead of seeking (README, Benchmarks).
                return tantivy.Query.boolean_query([(tantivy.Occur.Must, bigrams), (tantivy.Occur.Should, boosted)])
            return _any([boosted, bigrams], within)
        # Words are \w runs only, so quoting them is safe (a bare AND or OR would be an operator); the parser
        # applies the fields' stemming.
        if not positions:
            return self._index.parse_query(" AND ".join(f'"{word}"' for word in term.words), ["text"])
        return self._index.parse_query(f'"{term.text}"', ["text"])

    def _bigrams(self, tokens: list[str], positions: bool) -> tantivy.Query:
        if len(tokens) == 1:
            return self._term("text_cjk", tokens[0])
        if not positions:
            return tantivy.Query.boolean_query([(tantivy.Occur.Must, self._term("text_cjk", t)) for t in tokens])
        return tantivy.Query.phrase_query(self._index.schema, "text_cjk", tokens)

    def _facets(self, searcher: tantivy.Searcher, tquery: tantivy.Query) -> dict[str, dict[str, int]]:
        aggs = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACETS}
        result = searcher.aggregate(tquery, aggs)
        return {name: {b["key"]: b["doc_count"] for b in result.get(name, {}).get("buckets", [])} for name in FACETS}


def _any(alternatives: list[tantivy.Query], within: tantivy.Query | None) -> tantivy.Query:
    """A union of the alternatives. Under a sample, `within` is its term scored zero: each alternative is
    intersected with it first, so the union, seeked into by the search's intersection, steps through the
    sample's pages rather than through every page of its window (tantivy's union fills windows of 4,096
    documents: a union of phrases cost a Korean query 261 ms at 420,000 pages). The same pages and scores."""
    if within is None:
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, a) for a in alternatives])
    branches = [
        tantivy.Query.boolean_query([(tantivy.Occur.Must, within), (tantivy.Occur.Must, a)]) for a in alternatives
    ]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, b) for b in branches])


def _new_document(action: Action) -> dict[str, Any]:
    """The document an action writes where none was: what a carried document is rebuilt as, on both sides."""
    return {**action.on_insert, **action.doc, "id": action.id, "kind": action.kind}


def _carried_by(action: Action, head: Action) -> bool:
    """Whether the page of `head` (its group's first action) can carry this document of its: a version or a
    sighting always, a listing when it names the page's own URL (the module doc)."""
    return action.kind in CARRIED and (action.kind != "listings" or action.doc["url"] == head.doc["url"])


def _named_page(action: Action, head: Action) -> str | None:
    """The key of the page another page's listing names (it may carry a listing of the same key), or None."""
    if action.kind != "listings" or action.doc["url"] == head.doc.get("url"):
        return None
    return _key("pages", doc_key(action.doc["url"]))


def _write_out(page: dict[str, Any], merged: dict[str, tuple[dict[str, Any], bool]]) -> None:
    """Every document a page document carries, into `merged` as new documents (none of them is indexed)."""
    head, *rest = page_actions(page["record"])
    for action in rest:
        key = _key(action.kind, action.id)
        if action.kind in page["carries"] and _carried_by(action, head) and key not in merged:
            merged[key] = (_new_document(action), False)


def _key(kind: str, doc_id: str) -> str:
    return f"{kind}\x1f{doc_id}"


def _stem_within_bigrams(term: Term, stems: list[str]) -> bool:
    """Whether every page matching the term's stem also matches its bigram phrase: true for one word of two
    or more syllables that is its own stem, unless that stem is a verb's dictionary form (ending 다, which a
    conjugated page word need not contain). Any other stem is a prefix of the page's word (korean.py), so the
    page holds the term's syllables in a row, and with them its bigrams."""
    if len(term.words) != 1:
        return False
    word = term.words[0]
    return len(word) >= 2 and stems == [word] and not word.endswith("다")


_LEVEL_NAMES = [f"s{level}" for level in range(1, SAMPLE_LEVELS + 1)]


def sample_levels(key: str) -> list[str]:
    """The sample levels a page is in: s1 … sL, L the number of low zero bits of a hash of its key."""
    bits = int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=4).digest(), "little")
    zeros = (bits & -bits).bit_length() - 1 if bits else SAMPLE_LEVELS
    return _LEVEL_NAMES[:zeros]


def _date(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _analysed_chunks(chunks: list[str]) -> list[tuple[str, str]]:
    """Each raw whitespace chunk's bigram and Korean stem forms (one Kiwi batch for all of them)."""
    parts = [text_chunks(chunk) for chunk in chunks]
    stems = iter(korean.chunk_stems([part for found in parts for part in found]))
    return [(cjk_field_of_chunks(found), " ".join(filter(None, [next(stems) for _ in found]))) for found in parts]


# The two pre-analysed fields of a searched text (tantivy cannot run Python tokenizers), from one cache.
_TEXT_FIELDS = ChunkFields(_analysed_chunks, width=2, size=korean.CACHE_SIZE)


def _to_tantivy(key: str, doc: dict[str, Any], schema: tantivy.Schema) -> tantivy.Document:
    kind = doc["kind"]
    fields: dict[str, Any] = {"key": key, "kind": kind}
    for name in _COPIED:
        if value := doc.get(name):
            fields[name] = value
    if (price := doc.get("price")) not in (None, []):
        fields["price"] = price
    if kind == "entities":
        fields.update(entity=doc["value"], entity_type=doc["type"])
    if kind in SEARCHED_KINDS:
        title_text = doc.get("title", "") + "\n" + doc.get("text", "")
        # One field for title and text: a search is then an intersection of plain postings, which seeks,
        # where two fields would make every word a union (far slower on a million matches).
        fields["text"] = title_text
        fields["text_cjk"], stems = _TEXT_FIELDS.fields(title_text)
        if stems:
            fields["text_ko"] = stems
        fields["fetched_at"] = _date(doc["fetched_at"])
        if levels := sample_levels(key):  # most pages are in no sample
            fields["sample"] = levels
    if kind == "pages":
        # A page document is its record plus fields derived from it (page_document): store the record only.
        stored = {"id": doc["id"], "kind": "pages", "record": doc["record"]}
        if carried := doc.get("carries"):
            stored["carries"] = carried
            fields["carries"] = list(carried)
            fields.update((name, carried[of]) for of, name in _CARRIED_COUNTS.items() if of in carried)
        fields["source"] = orjson.dumps(stored)
    else:
        fields["source"] = orjson.dumps(doc)
    return tantivy.Document.from_dict(fields, schema)


def _source(doc: tantivy.Document) -> dict[str, Any]:
    stored = orjson.loads(bytes(doc["source"][0]))
    if stored["kind"] == "pages":
        page = {**page_document(stored["record"]), "id": stored["id"], "kind": "pages"}
        if carried := stored.get("carries"):
            page["carries"] = carried
        return page
    return stored
