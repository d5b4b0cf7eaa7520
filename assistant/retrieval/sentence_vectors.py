"""The sentence and heading vectors ingest stored (see ingest/embedding.py), held in memory per
index snapshot so the answer picker can compare a question with each candidate sentence at the
cost of a dot product."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from core.vectorstore import HEADING_POSITION

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection


@dataclass(frozen=True)
class SentenceVectors:
    """chunk id -> (its sentences' vectors in order, its heading's vector or None)."""

    by_chunk: dict[str, tuple[np.ndarray, np.ndarray | None]] = field(default_factory=dict)

    @classmethod
    def read(cls, collection: Collection, live_hashes: tuple[str, ...]) -> SentenceVectors:
        if not live_hashes:
            return cls()
        got = collection.get(
            where={"doc_hash": {"$in": list(live_hashes)}}, include=["embeddings", "metadatas"]
        )
        rows: dict[str, dict[int, np.ndarray]] = {}
        for vector, meta in zip(got["embeddings"], got["metadatas"]):
            rows.setdefault(str(meta["chunk_id"]), {})[int(meta["position"])] = np.asarray(
                vector, dtype=np.float32
            )
        by_chunk = {}
        for chunk_id, positions in rows.items():
            heading = positions.pop(HEADING_POSITION, None)
            ordered = [positions[p] for p in sorted(positions)]
            by_chunk[chunk_id] = (np.stack(ordered) if ordered else np.zeros((0, 1), np.float32), heading)
        return cls(by_chunk)

    def similarities(self, chunk_id: str, question: np.ndarray) -> tuple[np.ndarray, float]:
        """Cosine similarity of the question with each sentence of the chunk, and with its
        heading (0 when the chunk has none); empty when the index holds no vectors for it."""
        sentences, heading = self.by_chunk.get(chunk_id, (None, None))
        sims = (
            sentences @ question
            if sentences is not None and sentences.shape[1] == question.shape[0]
            else np.zeros(0)
        )
        return sims, float(heading @ question) if heading is not None else 0.0
