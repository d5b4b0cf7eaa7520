"""Tables a caseworker reads in full. st.table, not st.dataframe: the data grid draws on a canvas
and cuts long text in a narrow (1024 px) window, while a static table wraps every cell. Cells are
escaped (st.table renders markdown) and an absent value is a dash, never "None"."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd
import streamlit as st

from evals.metrics import Metrics
from evals.runner import RunReport
from ui.render import escape_markdown

MISSING = "–"


def cell(value: object) -> str:
    """One cell's text: escaped, a dash for nothing, integers and text as they are."""
    if value is None or value == "":
        return MISSING
    return escape_markdown(str(value))


def render_table(rows: Sequence[Mapping[str, object]]) -> None:
    """Rows of {column: value} as a static, wrapping table without the index column; a row
    without a column shows a dash there."""
    if not rows:
        return
    columns = list(dict.fromkeys(column for row in rows for column in row))
    frame = pd.DataFrame([[cell(row.get(column)) for column in columns] for row in rows], columns=columns)
    st.table(frame, hide_index=True)


def share(value: float | None) -> str | None:
    return None if value is None else f"{100 * value:.0f} %"


def metrics_row(name: str, m: Metrics) -> dict[str, object]:
    """The figures the secretariat acts on; the rest is in the downloadable JSON report."""
    return {
        "Periode": name,
        "Bestået": f"{m.passed} af {m.cases}",
        "Fejl": m.failed,
        "Forventede fejl": m.xfailed,
        "Rigtige svar": share(m.answer_accuracy),
        "Rigtig kilde": share(m.citation_accuracy),
        "Sikre svar, der er rigtige": share(m.sikker_right),
        "Svartid (median)": None if m.latency_p50_ms is None else f"{m.latency_p50_ms:.0f} ms",
    }


def metrics_rows(report: RunReport, label: Callable[[str], str] = str) -> list[dict[str, object]]:
    """One row per group (named by ``label``), the total, and one per question language."""
    rows = [metrics_row(label(group), m) for group, m in report.by_group.items()]
    rows.append(metrics_row("I alt", report.overall))
    language = {"da": "dansk", "en": "engelsk"}
    rows += [
        metrics_row(f"Spørgsmål på {language.get(lang, lang)}", m) for lang, m in report.by_language.items()
    ]
    return rows
