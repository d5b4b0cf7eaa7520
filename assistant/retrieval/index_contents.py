"""What a query needs from the index, read out of Chroma once per index version: the live
passages with their vectors, the sentence vectors, and the lexical index and query expander
built over those passages."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from assistant.retrieval.lexical import LexicalIndex, vocabulary_of
from assistant.retrieval.sentence_vectors import SentenceVectors
from assistant.understanding.danish import Analyzer
from assistant.understanding.query import QueryExpander, QueryVocabulary
from core.records import Chunk

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexContents:
    lexical: LexicalIndex
    expander: QueryExpander
    sentences: SentenceVectors
    vectors: np.ndarray  # one normalised chunk vector per row, in lexical.chunks order
    periods: np.ndarray  # each chunk's period ("" when none), for the period filter


def read_contents(
    chunk_collection: Collection,
    sentence_collection: Collection,
    live_hashes: tuple[str, ...],
    vocabulary: QueryVocabulary,
) -> IndexContents:
    """The live documents' passages (ordered by document and position), their vectors and
    sentence vectors, and the lexical index over them (building that takes about a second)."""
    chunks: list[Chunk] = []
    vectors_by_id: dict[str, list[float]] = {}
    if live_hashes:
        result = chunk_collection.get(
            where={"doc_hash": {"$in": list(live_hashes)}},
            include=["documents", "metadatas", "embeddings"],
        )
        chunks = [
            Chunk.from_metadata(chunk_id, text, meta)
            for chunk_id, text, meta in zip(result["ids"], result["documents"], result["metadatas"])
        ]
        vectors_by_id = dict(zip(result["ids"], result["embeddings"]))
    chunks.sort(key=lambda c: (c.document, c.ordinal))
    vectors = (
        np.asarray([vectors_by_id[c.id] for c in chunks], dtype=np.float32)
        if chunks
        else np.zeros((0, 0), np.float32)
    )
    log.info("lexical index built over %d chunks", len(chunks))
    corpus_words = vocabulary_of(chunks)
    lexical = LexicalIndex(chunks, Analyzer(corpus_words | vocabulary.words()))
    expander = QueryExpander(lexical.analyzer, vocabulary, corpus_words, set(lexical.idf))
    return IndexContents(
        lexical,
        expander,
        SentenceVectors.read(sentence_collection, live_hashes),
        vectors,
        np.asarray([c.period or "" for c in chunks]),
    )
