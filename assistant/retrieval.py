"""Hybrid retrieval: Danish BM25 and dense vectors from Chroma, fused by reciprocal rank.

Only the live version of each document (per the registry) is ever returned, and the lexical
index is rebuilt when the registry changes, so it always matches the Chroma collection."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from dataclasses import dataclass, replace

from assistant.analysis import Analyzer
from assistant.lexical import LexicalIndex, vocabulary_of
from assistant.query import ExpandedQuery, QueryExpander, QueryVocabulary
from assistant.sentence_vectors import SentenceVectors
from core.embeddings import make_embeddings
from core.records import Chunk, Hit
from core.registry import read_registry, registry_fingerprint
from core.settings import Settings
from core.vectorstore import chunk_collection, open_client, read_generation, registry_collection, sentence_collection

log = logging.getLogger(__name__)

CANDIDATES = 30
QUERY_CACHE = 512  # question vectors kept per process (~1.5 KiB each)


@dataclass(frozen=True)
class FusionWeights:
    lexical: float
    dense: float
    rrf_k: int

    @classmethod
    def from_settings(cls, settings: Settings) -> "FusionWeights":
        return cls(settings.lexical_weight, settings.dense_weight, settings.rrf_k)


@dataclass(frozen=True)
class _Snapshot:
    """Everything a query needs, swapped in one assignment when the index changes."""

    fingerprint: tuple
    lexical: LexicalIndex
    expander: QueryExpander
    position: dict[str, int]  # chunk id -> index in lexical.chunks
    live_hashes: tuple[str, ...]
    sentences: SentenceVectors
    generation: str | None = None  # the registry's change token when this snapshot was checked


class Retriever:
    def __init__(self, settings: Settings, client=None, weights: FusionWeights | None = None):
        self.settings = settings
        self.client = client or open_client(settings)
        self.collection = chunk_collection(self.client, settings)
        self.registry = registry_collection(self.client, settings)
        self.sentences = sentence_collection(self.client, settings)
        self.embeddings = make_embeddings(settings)
        # A question is embedded once even when it is searched twice (period, then all periods)
        # or asked again; the vector depends only on the text and the model.
        self._embed_query = lru_cache(maxsize=QUERY_CACHE)(self.embeddings.embed_query)
        self.weights = weights or FusionWeights.from_settings(settings)
        self._lock = threading.Lock()
        self._snapshot: _Snapshot | None = None
        self.query_vocabulary = QueryVocabulary.load(settings.corpus_dir)
        self._vectorstore = None

    # -- index state ---------------------------------------------------------------------------

    def snapshot(self) -> _Snapshot:
        """The current index; rebuilt only when a document was added, replaced or removed.

        An unchanged registry change token (set by every ingest and removal, in any process)
        costs one small read; only a new or missing token reads the registry itself."""
        token = read_generation(self.client, self.settings)
        current = self._snapshot
        if current is not None and token is not None and current.generation == token:
            return current
        fingerprint = registry_fingerprint(read_registry(self.registry))
        with self._lock:
            if self._snapshot is None or self._snapshot.fingerprint != fingerprint:
                self._snapshot = replace(self._build(fingerprint), generation=token)
            elif self._snapshot.generation != token:
                self._snapshot = replace(self._snapshot, generation=token)
            return self._snapshot

    def is_empty(self) -> bool:
        return not self.snapshot().lexical.chunks

    def _build(self, fingerprint: tuple) -> _Snapshot:
        live_hashes = tuple(entry[1] for entry in fingerprint)
        chunks: list[Chunk] = []
        if live_hashes:
            result = self.collection.get(
                where={"doc_hash": {"$in": list(live_hashes)}}, include=["documents", "metadatas"]
            )
            chunks = [
                Chunk.from_metadata(chunk_id, text, meta)
                for chunk_id, text, meta in zip(result["ids"], result["documents"], result["metadatas"])
            ]
        chunks.sort(key=lambda c: (c.document, c.ordinal))
        log.info("lexical index built over %d chunks", len(chunks))
        corpus_words = vocabulary_of(chunks)
        lexical = LexicalIndex(chunks, Analyzer(corpus_words | self.query_vocabulary.words()))
        expander = QueryExpander(lexical.analyzer, self.query_vocabulary, corpus_words, set(lexical.idf))
        sentences = SentenceVectors.read(self.sentences, live_hashes)
        return _Snapshot(fingerprint, lexical, expander, {c.id: i for i, c in enumerate(chunks)}, live_hashes, sentences)

    # -- search ----------------------------------------------------------------------------------

    def understand(self, question: str) -> ExpandedQuery:
        """The question with the agreements' own words for what it asks (see assistant/query.py)."""
        return self.snapshot().expander.expand(question)

    def search(self, question: str | ExpandedQuery, period: str | None = None, k: int | None = None) -> list[Hit]:
        """Top passages for a question, optionally within one agreement period."""
        k = k or self.settings.top_k
        snap = self.snapshot()
        if not snap.lexical.chunks:
            return []
        query = question if isinstance(question, ExpandedQuery) else snap.expander.expand(question)
        lexical = snap.lexical.search(query.lexical_text, CANDIDATES, period)
        dense = self.dense_search(query.question, snap, period, CANDIDATES)
        return self._fuse(snap, [m.index for m in lexical], dense, k)

    def question_vector(self, question: str) -> list[float]:
        """The question's embedding (cached: one model call per distinct question)."""
        return self._embed_query(question)

    def dense_search(self, question: str, snap: _Snapshot, period: str | None, k: int) -> list[tuple[int, float]]:
        """(chunk position, cosine similarity) from Chroma, restricted to live versions.

        Chroma's ``$in`` filter over every live hash costs ~0.3 s a query at 25k chunks against
        ~6 ms without it, so the nearest k are fetched without it first: when all k are live they
        are exactly the k nearest live chunks. Only while the collection also holds other versions
        (an ingest in flight) does the filtered query run."""
        vector = self.question_vector(question)
        found = self._nearest(vector, snap, k, {"period": period} if period else None)
        if len(found) < k:
            where: dict = {"doc_hash": {"$in": list(snap.live_hashes)}}
            found = self._nearest(vector, snap, k, {"$and": [where, {"period": period}]} if period else where)
        return found

    def _nearest(self, vector: list[float], snap: _Snapshot, k: int, where: dict | None) -> list[tuple[int, float]]:
        results = self._langchain_store().similarity_search_by_vector_with_relevance_scores(
            vector, k=k, filter=where
        )
        found = []
        for document, distance in results:
            position = snap.position.get(document.id or "")
            if position is not None:
                found.append((position, 1.0 - float(distance)))
        return found

    def _fuse(self, snap: _Snapshot, lexical: list[int], dense: list[tuple[int, float]], k: int) -> list[Hit]:
        scores: dict[int, float] = {}
        lexical_rank = {position: rank for rank, position in enumerate(lexical, 1)}
        dense_rank = {position: rank for rank, (position, _) in enumerate(dense, 1)}
        dense_score = dict(dense)
        for position, rank in lexical_rank.items():
            scores[position] = scores.get(position, 0.0) + self.weights.lexical / (self.weights.rrf_k + rank)
        for position, rank in dense_rank.items():
            scores[position] = scores.get(position, 0.0) + self.weights.dense / (self.weights.rrf_k + rank)
        ranked = sorted(scores, key=lambda p: -scores[p])[:k]
        return [
            Hit(snap.lexical.chunks[p], scores[p], lexical_rank.get(p), dense_rank.get(p), dense_score.get(p))
            for p in ranked
        ]

    def _langchain_store(self):
        if self._vectorstore is None:
            from langchain_chroma import Chroma

            self._vectorstore = Chroma(
                client=self.client,
                collection_name=self.settings.collection,
                embedding_function=self.embeddings,
                create_collection_if_not_exists=False,
            )
        return self._vectorstore
