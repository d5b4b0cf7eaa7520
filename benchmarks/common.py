"""Shared pieces of the benchmarks: the question set, relevance, timing and memory figures."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from evals.cases import load_cases


@dataclass(frozen=True)
class BenchQuestion:
    """An eval case that retrieval alone can be judged on: it names the passage to find."""

    id: str
    question: str
    document: str
    section: str | None


def load_questions() -> list[BenchQuestion]:
    """The eval suite's non-calculator, non-abstain cases with an expected document."""
    return [
        BenchQuestion(case.id, case.question, case.expected_document, case.expected_section)
        for case in load_cases()
        if not case.abstain and case.tool is None and case.expected_document
    ]


def is_relevant(question: BenchQuestion, document: str, section: str | None) -> bool:
    """Expected document and, when the case gives one and the pipeline has sections, the section.

    ``section=None`` means the pipeline has no sections (the naive baseline): document only."""
    if document != question.document:
        return False
    if question.section is None or section is None:
        return True
    return question.section.lower() in section.lower()


def first_relevant_rank(question: BenchQuestion, results: Sequence[tuple[str, str | None]]) -> int | None:
    for rank, (document, section) in enumerate(results, 1):
        if is_relevant(question, document, section):
            return rank
    return None


def timed(function: Callable[[], object]) -> tuple[object, float]:
    """(result, milliseconds)."""
    started = time.perf_counter()
    result = function()
    return result, 1000 * (time.perf_counter() - started)


def percentiles(values_ms: Sequence[float]) -> dict[str, float]:
    if not values_ms:
        return {"p50_ms": float("nan"), "p95_ms": float("nan")}
    array = np.asarray(values_ms, dtype=float)
    return {"p50_ms": float(np.percentile(array, 50)), "p95_ms": float(np.percentile(array, 95))}


def memory_mb() -> dict[str, float]:
    """Resident set size now and at its peak (VmRSS, VmHWM), in MiB."""
    figures = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                figures[key] = int(value.split()[0]) / 1024
    return {"rss_mb": figures.get("VmRSS", float("nan")), "peak_rss_mb": figures.get("VmHWM", float("nan"))}
