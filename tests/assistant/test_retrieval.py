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
    ranks = [first_relevant_rank(indexed_assistant.search(q["q"], k=5), q["doc"], q["section"]) for q in QUESTIONS]
    misses = [q["q"] for q, rank in zip(QUESTIONS, ranks) if rank is None]
    recall = 1 - len(misses) / len(QUESTIONS)
    assert recall >= 0.85, f"recall@5 {recall:.2f}; missed: {misses}"


def test_period_filter_keeps_to_one_period(indexed_assistant) -> None:
    hits = indexed_assistant.search("taksterne", period="2023-24", k=5)
    assert hits and all(hit.chunk.period == "2023-24" for hit in hits)
