"""Evals: run the golden cases through the same assistant as the chat and show the figures per
agreement period. Thin: the runner scores, this page reads widgets and renders."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from evals.cases import CaseFileError, groups_of, load_cases
from evals.report import METRIC_COLUMNS, format_json
from evals.runner import FAIL, XFAIL, XPASS, CaseResult, RunOptions, RunReport, run_suite
from ui.render import escape_markdown
from ui.resources import ensure_index, get_assistant

ALL = "Alle grupper"
STATUS_LABELS = {"PASS": "✅ bestået", FAIL: "❌ fejl", XFAIL: "⚠️ forventet fejl", XPASS: "❗ XPASS"}

st.title("Evals")
st.caption(
    "De faste eval-cases pr. aftaleperiode køres gennem den samme assistent som chatten. "
    "Forventede fejl (xfail) vises med begrundelse og vælter ikke kørslen."
)

try:
    cases = load_cases()
except CaseFileError as exc:
    st.error(f"Eval-cases kan ikke indlæses: {exc}")
    st.stop()

assistant = get_assistant()
ensure_index(assistant)

choice = st.selectbox("Periode", [ALL, *groups_of(cases)])
if st.button("Kør evals", type="primary"):
    bar = st.progress(0.0, text="Starter …")
    options = RunOptions(
        groups=() if choice == ALL else (choice,),
        progress=lambda done, total, case: bar.progress(done / total, text=f"{done}/{total} · {case.id}"),
    )
    st.session_state.eval_report = run_suite(assistant, cases, options)
    bar.empty()


def metrics_frame(report: RunReport) -> pd.DataFrame:
    rows = {name: m.as_dict() for name, m in report.by_group.items()}
    rows["I alt"] = report.overall.as_dict()
    rows.update({f"sprog: {lang}": m.as_dict() for lang, m in report.by_language.items()})
    return pd.DataFrame.from_dict(rows, orient="index")


def render_report(report: RunReport) -> None:
    m = report.overall
    summary = f"{m.passed}/{m.cases} bestået · {m.failed} fejl · {m.xfailed} forventede fejl"
    summary += f" · {m.xpassed} XPASS"
    (st.success if report.ok else st.error)(summary)
    frame = metrics_frame(report)
    labels = dict(METRIC_COLUMNS)
    shares = frame[list(labels)].rename(columns=labels)
    st.subheader("Nøgletal pr. periode")
    st.dataframe(
        frame.rename(columns={**labels, "latency_p50_ms": "ms p50", "latency_p95_ms": "ms p95"}),
        column_config={label: st.column_config.NumberColumn(format="%.2f") for label in labels.values()},
    )
    st.bar_chart(shares.drop(index="I alt").fillna(0.0), stack=False, y_label="andel (MRR: 0–1)")
    render_cases(report)
    render_expected_failures(report)
    st.download_button("Hent rapport (JSON)", format_json(report), "eval-rapport.json", "application/json")


def render_cases(report: RunReport) -> None:
    groups = list(report.by_group)
    for tab, group in zip(st.tabs(groups), groups):
        rows = [case_row(r) for r in report.results if r.case.group == group]
        tab.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def case_row(r: CaseResult) -> dict[str, str]:
    status = STATUS_LABELS[r.status]
    return {"Case": r.case.id, "Status": status, "Begrundelse": r.reason, "Spørgsmål": r.case.question}


def render_expected_failures(report: RunReport) -> None:
    marked = [r for r in report.results if r.status in (XFAIL, XPASS)]
    st.subheader(f"Forventede fejl (xfail): {len(marked)}")
    if not marked:
        st.caption("Ingen cases er markeret som forventede fejl.")
    for r in marked:
        reason = escape_markdown(r.case.xfail or "")
        st.markdown(f"- **{escape_markdown(r.case.id)}** ({STATUS_LABELS[r.status]}): {reason}")


report = st.session_state.get("eval_report")
if report is not None:
    render_report(report)
