"""The embed step of ingest: one vector per sentence and per section heading, and a chunk's vector
derived from them.

Why sentences: the answer picker compares the question with every candidate sentence, and having
those vectors at ingest means a question costs one embedding. Why derive the chunk vector instead
of embedding the chunk too: on this 2-core machine the model embeds the corpus' sentences in about
the time it takes to embed its chunks, and the normalised sum of a chunk's sentence vectors and its
heading vector found the right section as often as the chunk's own vector (dense-only recall@5 over
the golden suite: 0.961 against 0.957), so embedding both would double ingest for nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from core.records import Chunk
from core.text import split_sentences
from core.vectorstore import HEADING_POSITION as HEADING

Progress = Callable[[float, str], None]  # (fraction done 0..1, Danish status text)
EMBED_GROUP = 64  # texts per embed_documents call: progress granularity


@dataclass(frozen=True)
class SentenceVector:
    id: str
    text: str
    vector: list[float]
    metadata: dict[str, str | int]


@dataclass(frozen=True)
class EmbeddedChunk:
    chunk: Chunk
    vector: list[float]
    sentences: tuple[SentenceVector, ...]


def chunk_sentences(chunk: Chunk) -> list[str]:
    """The sentences the picker scores, in order; query time splits the same way (core.text)."""
    return [sentence.text for sentence in split_sentences(chunk.text)]


def embed_chunks(
    embeddings: Embeddings, chunks: list[Chunk], progress: Progress | None = None
) -> list[EmbeddedChunk]:
    """Vectors for every sentence and heading of ``chunks``; each chunk's vector from those."""
    texts: list[str] = []
    spans: list[tuple[int, int]] = []  # per chunk: its first sentence's index and the end
    headings: dict[str, int] = {}
    for chunk in chunks:
        first = len(texts)
        texts.extend(chunk_sentences(chunk) or [chunk.text])
        spans.append((first, len(texts)))
    for chunk in chunks:
        if chunk.section and chunk.section not in headings:
            headings[chunk.section] = len(texts)
            texts.append(chunk.section)
    vectors = _embed_in_groups(embeddings, texts, chunks[0].document if chunks else "", progress)
    embedded = []
    for chunk, (first, end) in zip(chunks, spans):
        heading = headings.get(chunk.section)
        parts = [vectors[first:end]] + ([vectors[heading : heading + 1]] if heading is not None else [])
        total = np.concatenate(parts).sum(axis=0)
        vector = (total / (np.linalg.norm(total) or 1.0)).tolist()
        records = [
            _record(chunk, position, texts[first + position], vectors[first + position])
            for position in range(end - first)
        ]
        if heading is not None:
            records.append(_record(chunk, HEADING, chunk.section, vectors[heading]))
        embedded.append(EmbeddedChunk(chunk, vector, tuple(records)))
    return embedded


def _record(chunk: Chunk, position: int, text: str, vector: np.ndarray) -> SentenceVector:
    suffix = "h" if position == HEADING else str(position)
    metadata: dict[str, str | int] = {
        "document": chunk.document,
        "doc_hash": chunk.doc_hash,
        "chunk_id": chunk.id,
        "position": position,
    }
    return SentenceVector(f"{chunk.id}:{suffix}", text, vector.tolist(), metadata)


def _embed_in_groups(
    embeddings: Embeddings, texts: list[str], name: str, progress: Progress | None
) -> np.ndarray:
    vectors: list[list[float]] = []
    for start in range(0, len(texts), EMBED_GROUP):
        vectors.extend(embeddings.embed_documents(texts[start : start + EMBED_GROUP]))
        if progress:
            progress(len(vectors) / len(texts), f"{name}: {len(vectors)}/{len(texts)} sætninger indlejret")
    return np.asarray(vectors, dtype=np.float32) if vectors else np.zeros((0, 0), np.float32)
