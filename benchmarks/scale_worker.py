"""One benchmark step in a fresh process, so memory figures belong to that step alone.

``build``: ingest a corpus folder into a new embedded index through ``Indexer.ingest_paths``
(optionally first timing the bare embedding rate on the same chunk texts, or replacing the
embedding step by reused vectors when a full embed is too slow on this machine).
``measure``: open the index like the app does and time warm ``Assistant.ask`` and ``search``.
Prints one JSON object on stdout."""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import time
from pathlib import Path

import numpy as np

from benchmarks.common import load_questions, memory_mb, percentiles, timed
from benchmarks.quality import forget_query_vectors


def settings_for(corpus: Path, data: Path):
    from core.settings import load_settings

    return load_settings(corpus_dir=corpus, data_dir=data, chroma_mode="embedded")


def build(corpus: Path, data: Path, bare: bool, reuse_from: Path | None) -> dict:
    from core.embeddings import make_embeddings
    from ingest.indexing import Indexer

    settings = settings_for(corpus, data)
    # Loaded outside the ingest timing, but timed: a cold build pays for it too.
    _, load_ms = timed(lambda: make_embeddings(settings).embed_documents(["opvarmning af modellen"]))
    result: dict = {"model_load_seconds": load_ms / 1000}
    if bare:
        result.update(bare_embedding_rate(settings))
    if reuse_from is not None:
        reused = ReusedVectors(reuse_from, settings)
        import ingest.indexing

        ingest.indexing.make_embeddings = lambda _settings: reused  # only the embedding step changes
    report = Indexer(settings).ingest_paths([corpus])
    result.update(
        files=len(report.added) + len(report.replaced) + len(report.unchanged),
        failed=report.failed,
        chunks=report.chunks_written,
        ingest_seconds=report.seconds,
        ingest_chunks_per_s=report.chunks_written / report.seconds if report.seconds else 0.0,
        vectors="reused" if reuse_from else "embedded",
        **memory_mb(),
    )
    if reuse_from is not None:
        result.update(reused_exact=reused.exact, reused_perturbed=reused.perturbed)
    return result


def bare_embedding_rate(settings) -> dict:
    """The model alone on the same texts the indexer will embed (sentences and headings), in one call."""
    from core.embeddings import make_embeddings
    from ingest.embedding import chunk_sentences
    from ingest.indexing import expand_paths
    from ingest.manifest import load_manifest
    from ingest.prepare import chunk_file

    manifest = load_manifest(settings.corpus_dir)
    chunks = [c for p in expand_paths([settings.corpus_dir]) for c in chunk_file(p, manifest)]
    texts = [s for c in chunks for s in chunk_sentences(c)] + sorted({c.section for c in chunks if c.section})
    _, ms = timed(lambda: make_embeddings(settings).embed_documents(texts))
    # Per chunk, like the ingest rate it is compared with: a chunk costs its sentences and heading.
    return {
        "bare_chunks": len(chunks),
        "bare_seconds": ms / 1000,
        "bare_chunks_per_s": len(chunks) / (ms / 1000),
    }


class ReusedVectors:
    """Embeddings stand-in for scales too large to embed here: a text already embedded at a smaller
    scale gets its real vector; any other text gets the vector of a stable-hash-chosen embedded
    chunk plus small noise, renormalised. Index size and vector shape are real; meaning is not."""

    NOISE = 0.05

    def __init__(self, source_data: Path, settings) -> None:
        from core.vectorstore import open_client, sentence_collection

        source = settings.model_copy(update={"data_dir": source_data})
        got = sentence_collection(open_client(source), source).get(include=["embeddings", "documents"])
        texts = list(got["documents"])
        self.vectors = np.asarray(got["embeddings"], dtype=np.float32)
        self.by_text = {text: n for n, text in enumerate(texts)}
        self.exact = self.perturbed = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(text).tolist() for text in texts]

    def _vector(self, text: str) -> np.ndarray:
        if text in self.by_text:
            self.exact += 1
            return self.vectors[self.by_text[text]]
        self.perturbed += 1
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        rng = np.random.default_rng(seed)
        vector = self.vectors[seed % len(self.vectors)] + rng.normal(0, self.NOISE, self.vectors.shape[1])
        return (vector / np.linalg.norm(vector)).astype(np.float32)


def measure(corpus: Path, data: Path, limit: int | None) -> dict:
    from assistant.api import Assistant

    settings = settings_for(corpus, data)
    questions = load_questions()[:limit]
    assistant, open_ms = timed(lambda: Assistant.open(settings))
    snap, index_ms = timed(assistant.retriever.snapshot)
    assistant.ask(questions[0].question)  # warm-up
    asks = [timed(lambda text=q.question: assistant.ask(text))[1] for q in questions]
    forget_query_vectors(assistant)  # searches must embed their questions like the asks did
    searches = [timed(lambda text=q.question: assistant.search(text))[1] for q in questions]
    checks = [timed(assistant.retriever.snapshot)[1] for _ in range(20)]
    ask, search = percentiles(asks), percentiles(searches)
    return {
        "questions": len(questions),
        "indexed_chunks": len(snap.lexical.chunks),
        "open_seconds": open_ms / 1000,
        "lexical_build_seconds": index_ms / 1000,
        "ask_p50_ms": ask["p50_ms"],
        "ask_p95_ms": ask["p95_ms"],
        "search_p50_ms": search["p50_ms"],
        "search_p95_ms": search["p95_ms"],
        "snapshot_check_ms": sum(checks) / len(checks),
        **memory_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["build", "measure"])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--reuse-from", type=Path)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    started = time.perf_counter()
    if args.step == "build":
        result = build(args.corpus, args.data, args.bare, args.reuse_from)
    else:
        result = measure(args.corpus, args.data, args.limit)
    result["step_seconds"] = time.perf_counter() - started
    print(json.dumps(result))


if __name__ == "__main__":
    main()
