"""Render a :class:`evals.runner.RunReport` as a markdown report (CLI, CI logs) or JSON (machines).

Expected failures are always listed with their reasons – the issue asks that a case the assistant
cannot yet answer stays visible in every report, not hidden by a green total.
"""

from __future__ import annotations

import json

from evals.metrics import Metrics
from evals.runner import FAIL, XFAIL, XPASS, CaseResult, RunReport

METRIC_COLUMNS: tuple[tuple[str, str], ...] = (
    ("answer_accuracy", "Svar"),
    ("first_quote_accuracy", "Første citat"),
    ("citation_accuracy", "Kilde"),
    ("recall_at_5", "Recall@5"),
    ("mrr", "MRR"),
    ("abstention_precision", "Afstår P"),
    ("abstention_recall", "Afstår R"),
    ("calculator_accuracy", "Beregner"),
    ("sikker_answerable", "Sikker"),
    ("sikker_right", "Sikker rigtig"),
    ("daekker_ikke_answerable", "Dækker ikke (besvarbare)"),
    ("unanswerable_not_sikker", "Ubesvarbare ikke sikker"),
)


def format_value(value: float | int | None, percent: bool = True) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    return f"{100 * value:.0f} %" if percent else f"{value:.2f}"


def metrics_row(name: str, m: Metrics) -> list[str]:
    counts = f"{m.passed}/{m.cases}"
    figures = [format_value(getattr(m, key), percent=key != "mrr") for key, _ in METRIC_COLUMNS]
    latency = f"{_ms(m.latency_p50_ms)} / {_ms(m.latency_p95_ms)}"
    return [name, counts, str(m.failed), str(m.xfailed), str(m.xpassed), *figures, latency]


def metrics_table(report: RunReport) -> str:
    header = ["Gruppe", "Bestået", "Fejl", "XFAIL", "XPASS", *(t for _, t in METRIC_COLUMNS), "ms p50 / p95"]
    rows = [metrics_row(g, m) for g, m in report.by_group.items()]
    rows.append(metrics_row("**I alt**", report.overall))
    rows.extend(metrics_row(f"sprog: {lang}", m) for lang, m in report.by_language.items())
    return _markdown_table(header, rows) + "\n\n" + RETRIEVAL_NOTE


RETRIEVAL_NOTE = (
    "Recall@5 og MRR måles på svar, der bygger på søgning; en beregner-case citerer den klausul, "
    "dens regel er fastlåst til, og tjekkes i kolonnerne Kilde og Beregner."
)


def format_sealed(report: RunReport) -> str:
    """Only the figures, overall and per language: a sealed set's single cases stay unread."""
    header = ["Sæt", "Bestået", "Fejl", "XFAIL", "XPASS", *(t for _, t in METRIC_COLUMNS), "ms p50 / p95"]
    rows = [metrics_row("**I alt**", report.overall)]
    rows.extend(metrics_row(f"sprog: {lang}", m) for lang, m in report.by_language.items())
    return _markdown_table(header, rows)


def case_table(results: list[CaseResult]) -> str:
    rows = [[r.case.id, r.case.group, r.status, _escape(r.reason)] for r in results]
    return _markdown_table(["Case", "Gruppe", "Status", "Begrundelse"], rows)


def format_markdown(report: RunReport) -> str:
    """Figures per group, then every failure, every expected failure and every XPASS with its reason."""
    verdict = "BESTÅET" if report.ok else f"FEJLET ({len(report.failed)} fastlåste cases fejler)"
    parts = [f"# Eval-rapport: {verdict}", "", metrics_table(report)]
    sections = (
        (FAIL, "Fejlede cases"),
        (XFAIL, "Forventede fejl (xfail) – endnu ikke besvaret korrekt"),
        (XPASS, "XPASS – består trods xfail (overvej at fjerne markeringen)"),
    )
    for status, title in sections:
        chosen = [r for r in report.results if r.status == status]
        if chosen:
            parts += ["", f"## {title} ({len(chosen)})", "", case_table(chosen)]
    return "\n".join(parts) + "\n"


def to_dict(report: RunReport) -> dict:
    return {
        "ok": report.ok,
        "overall": report.overall.as_dict(),
        "groups": {g: m.as_dict() for g, m in report.by_group.items()},
        "languages": {lang: m.as_dict() for lang, m in report.by_language.items()},
        "cases": [case_dict(r) for r in report.results],
    }


def case_dict(result: CaseResult) -> dict:
    return {
        "id": result.case.id,
        "group": result.case.group,
        "status": result.status,
        "reason": result.reason,
        "xfail": result.case.xfail,
        "checks": {c.name: c.ok for c in result.checks},
        "retrieval_rank": result.retrieval_rank,
        "latency_ms": round(result.latency_ms, 1),
        "abstained": result.answer.abstained,
        "confidence": result.answer.confidence,
        "tool": result.answer.tool,
        "cited": list(dict.fromkeys(c.document for c in result.answer.citations)),
    }


def format_json(report: RunReport) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2)


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def _markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _escape(text: str) -> str:
    """Keep a reason on one table row."""
    return " ".join(text.split()).replace("|", "\\|")
