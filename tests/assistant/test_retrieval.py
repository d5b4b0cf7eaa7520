"""Retrieval quality over caseworker questions, on the real corpus, Chroma and embedding model."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.integration

QUESTIONS = yaml.safe_load((Path(__file__).parent / "retrieval_questions.yaml").read_text(encoding="utf-8"))


def first_relevant_rank(hits, doc: str, section: str) -> int | None:
    for rank, hit in enumerate(hits, 1):
        if hit.chunk.document == doc and section.lower() in hit.chunk.section.lower():
            return rank
    return None


def test_recall_at_5_over_caseworker_questions(indexed_assistant) -> None:
    assert len(QUESTIONS) >= 25
    ranks = [
        first_relevant_rank(indexed_assistant.search(q["q"], k=5), q["doc"], q["section"]) for q in QUESTIONS
    ]
    misses = [q["q"] for q, rank in zip(QUESTIONS, ranks) if rank is None]
    recall = 1 - len(misses) / len(QUESTIONS)
    # 30 of 30 found with multilingual-e5-small: one miss is tolerated, a second is a regression
    assert recall >= 0.96, f"recall@5 {recall:.2f}; missed: {misses}"


def test_period_filter_keeps_to_one_period(indexed_assistant) -> None:
    hits = indexed_assistant.search("taksterne", period="2023-24", k=5)
    assert hits and all(hit.chunk.period == "2023-24" for hit in hits)


def test_dense_search_is_exact_best_first_and_keeps_to_the_period(indexed_assistant) -> None:
    import numpy as np

    retriever = indexed_assistant.retriever
    snap = retriever.snapshot()
    found = retriever.dense_search("Hvad er opsigelsesvarslet?", snap, "2017", 10)
    sims = [s for _, s in found]
    assert sims == sorted(sims, reverse=True)
    assert all(snap.lexical.chunks[p].period == "2017" for p, _ in found)
    question = np.asarray(retriever.question_vector("Hvad er opsigelsesvarslet?"))
    in_period = [i for i, c in enumerate(snap.lexical.chunks) if c.period == "2017"]
    exact = sorted(in_period, key=lambda i: -float(snap.vectors[i] @ question))[:10]
    assert [p for p, _ in found] == exact
