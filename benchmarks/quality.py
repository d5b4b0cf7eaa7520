"""recall@5, MRR and latency of four retrieval pipelines over the same questions.

(a) the naive LangChain tutorial pipeline, (b) the product's lexical index alone, (c) the product's
dense search alone, (d) the product's fused search. (b)-(d) run over the product's own index and
modules; (a) builds its own small Chroma collection the way the tutorial does."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.common import BenchQuestion, first_relevant_rank, percentiles, timed

log = logging.getLogger(__name__)

K = 5
Results = list[tuple[str, str | None]]  # (document, section or None when the pipeline has none)
Pipeline = Callable[[str], Results]


@dataclass(frozen=True)
class QualityRow:
    pipeline: str
    recall_at_5: float  # expected document and, when given and the pipeline has sections, section
    recall_at_5_document: float  # expected document only: comparable across all four pipelines
    mrr: float
    p50_ms: float
    p95_ms: float
    note: str = ""


def evaluate(name: str, pipeline: Pipeline, questions: list[BenchQuestion], note: str = "") -> QualityRow:
    pipeline(questions[0].question)  # warm-up: first-call costs are not query latency
    strict, by_document, reciprocal, latencies = 0, 0, 0.0, []
    for question in questions:
        results, ms = timed(lambda text=question.question: pipeline(text))
        latencies.append(ms)
        rank = first_relevant_rank(question, results)
        strict += rank is not None
        reciprocal += 1 / rank if rank else 0.0
        by_document += any(document == question.document for document, _ in results)
    n = len(questions)
    spread = percentiles(latencies)
    return QualityRow(
        name, strict / n, by_document / n, reciprocal / n, spread["p50_ms"], spread["p95_ms"], note
    )


def naive_pipeline(corpus_dir: Path, work_dir: Path, settings) -> tuple[Pipeline, int]:
    """The tutorial: RecursiveCharacterTextSplitter(1000, 200) over the cleaned text of each file,
    MiniLM embeddings, a Chroma collection, top-5 similarity search. Returns (pipeline, chunks)."""
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from core.embeddings import make_embeddings
    from ingest.cleaning import clean_text
    from ingest.indexing import expand_paths
    from ingest.loaders import load_bytes

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    texts, metadatas = [], []
    for path in expand_paths([corpus_dir]):
        document = load_bytes(path.name, path.read_bytes())
        text = "\n".join(clean_text(page.text, markdown=document.markdown) for page in document.pages)
        for piece in splitter.split_text(text):
            texts.append(piece)
            metadatas.append({"document": path.name})
    store = Chroma(
        collection_name="naive-tutorial",
        embedding_function=make_embeddings(settings),
        persist_directory=str(work_dir / "naive-chroma"),
    )
    store.add_texts(texts, metadatas=metadatas)

    def search(question: str) -> Results:
        return [(doc.metadata["document"], None) for doc in store.similarity_search(question, k=K)]

    return search, len(texts)


def product_pipelines(assistant) -> dict[str, Pipeline]:
    """Lexical only, dense only and fused, all over the product's live index."""
    retriever = assistant.retriever

    def lexical(question: str) -> Results:
        snap = retriever.snapshot()
        text = _lexical_text(snap, question)
        return [_cited(snap.lexical.chunks[m.index]) for m in snap.lexical.search(text, K)]

    def dense(question: str) -> Results:
        snap = retriever.snapshot()
        return [_cited(snap.lexical.chunks[p]) for p, _ in retriever.dense_search(question, snap, None, K)]

    def fused(question: str) -> Results:
        return [_cited(hit.chunk) for hit in assistant.search(question, k=K)]

    return {"(b) lexical only": lexical, "(c) dense only": dense, "(d) product (fused)": fused}


def run_quality(assistant, corpus_dir: Path, work_dir: Path, questions: list[BenchQuestion]) -> list[dict]:
    naive, naive_chunks = naive_pipeline(corpus_dir, work_dir, assistant.settings)
    rows = [
        evaluate(
            "(a) naive LangChain tutorial",
            naive,
            questions,
            f"{naive_chunks} chunks without sections: relevance by document only, so its "
            "recall@5 is the lenient document-level figure",
        )
    ]
    for name, pipeline in product_pipelines(assistant).items():
        forget_query_vectors(assistant)  # each pipeline pays for its own query embeddings
        rows.append(evaluate(name, pipeline, questions))
    return [asdict(row) for row in rows]


def _cited(chunk) -> tuple[str, str | None]:
    return chunk.document, chunk.section


def _lexical_text(snap, question: str) -> str:
    """What the product's lexical leg searches: the question expanded by the snapshot's query
    expander when the product has one, else the question itself."""
    expander = getattr(snap, "expander", None)
    return expander.expand(question).lexical_text if expander is not None else question


def forget_query_vectors(assistant) -> None:
    """Empty the retriever's question-vector cache, so no pipeline is timed on another's work."""
    cache = getattr(assistant.retriever, "_embed_query", None)
    if hasattr(cache, "cache_clear"):
        cache.cache_clear()
