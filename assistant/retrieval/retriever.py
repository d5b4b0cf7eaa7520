"""Hybrid retrieval: Danish BM25 and dense vectors from Chroma, fused by reciprocal rank. Both
rankings are computed in memory from a snapshot of the Chroma collection (exact, deterministic).

Only the live version of each document (per the registry) is ever returned, and the lexical
index is rebuilt when the registry changes, so it always matches the Chroma collection."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

import numpy as np

from assistant.retrieval import index_cache
from assistant.retrieval.index_contents import IndexContents, read_contents
from assistant.understanding.query import ExpandedQuery, QueryVocabulary
from core import index_receipt
from core.embeddings import make_embeddings
from core.records import Hit
from core.registry import read_registry, registry_fingerprint
from core.settings import Settings
from core.vectorstore import (
    chunk_collection,
    open_client,
    read_generation,
    registry_collection,
    sentence_collection,
)

log = logging.getLogger(__name__)

QUERY_CACHE = 512  # question vectors kept per process (~1.5 KiB each)


@dataclass(frozen=True)
class _Snapshot(IndexContents):
    """Everything a query needs, swapped in one assignment when the index changes."""

    fingerprint: tuple = ()
    generation: str | None = None  # the registry's change token when this snapshot was checked


class Retriever:
    def __init__(self, settings: Settings, client=None):
        self.settings = settings
        self._client = client  # opened on first use: a cold ask with a valid receipt never needs it
        self.embeddings = make_embeddings(settings)
        # A question is embedded once even when it is searched twice (period, then all periods)
        # or asked again; the vector depends only on the text and the model.
        self._embed_query = lru_cache(maxsize=QUERY_CACHE)(self.embeddings.embed_query)
        self._lock = threading.Lock()
        self._client_lock = threading.Lock()
        self._snapshot: _Snapshot | None = None
        self.query_vocabulary = QueryVocabulary.load(settings.corpus_dir)

    # -- index state ---------------------------------------------------------------------------

    @property
    def client(self):
        """The Chroma client (importing chromadb and opening it takes most of a second)."""
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    self._client = open_client(self.settings)
        return self._client

    @cached_property
    def collection(self):
        return chunk_collection(self.client, self.settings)

    @cached_property
    def registry(self):
        return registry_collection(self.client, self.settings)

    @cached_property
    def sentences(self):
        return sentence_collection(self.client, self.settings)

    def snapshot(self) -> _Snapshot:
        """The current index; rebuilt only when a document was added, replaced or removed.

        A receipt that still holds (core/index_receipt.py: no write since a process read the
        registry) gives the registry's fingerprint without Chroma. Otherwise an unchanged
        registry change token (set by every ingest and removal, in any process) costs one small
        read; only a new or missing token reads the registry itself."""
        trusted = index_receipt.trusted_fingerprint(self.settings)
        if trusted is not None:
            return self._snapshot_for(trusted, self._snapshot.generation if self._snapshot else None)
        token = read_generation(self.client, self.settings)
        current = self._snapshot
        if current is not None and token is not None and current.generation == token:
            return current
        return self._snapshot_for(registry_fingerprint(read_registry(self.registry)), token)

    def _snapshot_for(self, fingerprint: tuple, token: str | None) -> _Snapshot:
        current = self._snapshot
        if current is not None and current.fingerprint == fingerprint and current.generation == token:
            return current
        with self._lock:
            if self._snapshot is None or self._snapshot.fingerprint != fingerprint:
                self._snapshot = replace(self._build(fingerprint), generation=token)
            elif self._snapshot.generation != token:
                self._snapshot = replace(self._snapshot, generation=token)
            return self._snapshot

    def is_empty(self) -> bool:
        return not self.snapshot().lexical.chunks

    def _build(self, fingerprint: tuple) -> _Snapshot:
        """The index's contents for ``fingerprint``: from the data folder's copy when it was made
        for these documents, else read from Chroma (and the copy written)."""
        key = index_cache.cache_key(fingerprint, self.query_vocabulary)
        contents = index_cache.load(self.settings.data_dir, key)
        if contents is None:
            live_hashes = tuple(entry[1] for entry in fingerprint)
            contents = read_contents(self.collection, self.sentences, live_hashes, self.query_vocabulary)
            index_cache.save(self.settings.data_dir, key, contents)
        return _Snapshot(**vars(contents), fingerprint=fingerprint)

    # -- search ----------------------------------------------------------------------------------

    def understand(self, question: str) -> ExpandedQuery:
        """The question with the agreements' own words for what it asks (see assistant/understanding/query.py)."""
        return self.snapshot().expander.expand(question)

    def search(
        self, question: str | ExpandedQuery, period: str | None = None, k: int | None = None
    ) -> list[Hit]:
        """Top passages for a question, optionally within one agreement period."""
        k = k or self.settings.retrieval.top_k
        snap = self.snapshot()
        if not snap.lexical.chunks:
            return []
        query = question if isinstance(question, ExpandedQuery) else snap.expander.expand(question)
        candidates = self.settings.retrieval.candidates
        lexical = snap.lexical.search(query.lexical_text, candidates, period)
        dense = self.dense_search(query.question, snap, period, candidates)
        return self._fuse(snap, [m.index for m in lexical], dense, k)

    def question_vector(self, question: str) -> list[float]:
        """The question's embedding (cached: one model call per distinct question)."""
        return self._embed_query(question)

    def dense_search(
        self, question: str, snap: _Snapshot, period: str | None, k: int
    ) -> list[tuple[int, float]]:
        """(chunk position, cosine similarity) of the k nearest live chunks, searched exactly.

        The chunk vectors come from Chroma with the snapshot, so this is one matrix product: exact,
        and the same on every build of the index. (Chroma's approximate HNSW search returned
        different neighbours for two builds of the same corpus — a rank-3 passage missing from one
        build's top 30 — and so different answers.) About 2 ms at 25,000 chunks."""
        if snap.vectors.shape[0] == 0:
            return []
        vector = np.asarray(self.question_vector(question), dtype=np.float32)
        similarities = snap.vectors @ vector
        if period:
            similarities = np.where(snap.periods == period, similarities, -np.inf)
        k = min(k, int(np.isfinite(similarities).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-similarities, k - 1)[:k]
        top = top[np.lexsort((top, -similarities[top]))]  # best first; ties by position, so stable
        return [(int(p), float(similarities[p])) for p in top]

    def _fuse(self, snap: _Snapshot, lexical: list[int], dense: list[tuple[int, float]], k: int) -> list[Hit]:
        weights = self.settings.retrieval
        scores: dict[int, float] = {}
        lexical_rank = {position: rank for rank, position in enumerate(lexical, 1)}
        dense_rank = {position: rank for rank, (position, _) in enumerate(dense, 1)}
        dense_score = dict(dense)
        for position, rank in lexical_rank.items():
            scores[position] = scores.get(position, 0.0) + weights.lexical_weight / (weights.rrf_k + rank)
        for position, rank in dense_rank.items():
            scores[position] = scores.get(position, 0.0) + weights.dense_weight / (weights.rrf_k + rank)
        ranked = sorted(scores, key=lambda p: -scores[p])[:k]
        return [
            Hit(snap.lexical.chunks[p], scores[p], lexical_rank.get(p), dense_rank.get(p), dense_score.get(p))
            for p in ranked
        ]
