"""Sekretariat: the secretariat's tools, kept off the caseworkers' pages. Caseworkers' reports on
wrong answers (turned into test questions here) and the run of the test questions per agreement
period through the same assistant as the chat, and each period's calculator rules (ui/rules_form.py).
Thin: the runner scores, this page renders."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from evals.cases import Case, CaseFileError, groups_of, load_cases
from evals.report import format_json
from evals.runner import FAIL, XFAIL, XPASS, CaseResult, RunOptions, RunReport, run_suite
from ui.eval_capture import render_save_case
from ui.feedback import Feedback, close_feedback, list_feedback
from ui.render import escape_markdown, render_answer
from ui.resources import ensure_index, get_assistant, get_settings
from ui.rules_form import render_rules
from ui.tables import metrics_rows, render_table

ALL = "Alle perioder"
# The case files' group names are file names (general.yaml, holdout2.yaml …); shown in Danish.
GROUP_LABELS = {
    "general": "Generelle",
    "unanswerable": "Uden svar i dokumenterne",
    "captured": "Fra tilbagemeldinger",
    "holdout": "Kontrolsæt 1",
    "holdout2": "Kontrolsæt 2",
    "holdout3": "Kontrolsæt 3",
}
STATUS_LABELS = {
    "PASS": "bestået",
    FAIL: "fejl",
    XFAIL: "forventet fejl",
    XPASS: "består nu (var forventet fejl)",
}


def render_feedback_list() -> None:
    reports = list_feedback(get_settings().data_dir)
    open_reports = [f for f in reports if f.closed is None]
    st.subheader(f"Tilbagemeldinger fra sagsbehandlere ({len(open_reports)} åbne)")
    if not reports:
        st.caption("Ingen har meldt et svar forkert endnu.")
    for report in open_reports:
        render_report(report)
    closed = [f for f in reports if f.closed is not None]
    if closed:
        with st.expander(f"Behandlede tilbagemeldinger ({len(closed)})"):
            for report in closed:
                outcome = (
                    "afvist" if report.closed == "afvist" else f"gemt som testspørgsmål »{report.closed}«"
                )
                st.markdown(escape_markdown(f"{_when(report)} · {report.answer.question} – {outcome}"))


def render_report(report: Feedback) -> None:
    data_dir = get_settings().data_dir
    with st.expander(escape_markdown(f"{_when(report)} · {report.answer.question}")):
        st.markdown("**Sagsbehandlerens kommentar:**  \n" + escape_markdown(report.comment))
        st.markdown("**Svaret, de fik:**")
        render_answer(report.answer)
        st.markdown("**Gem som testspørgsmål**, så testen fremover kræver det rigtige svar:")
        render_save_case(
            report.answer,
            key=report.id,
            on_saved=lambda case_id: close_feedback(data_dir, report.id, case_id),
        )
        if st.button("Afvis tilbagemeldingen", key=f"dismiss-{report.id}"):
            close_feedback(data_dir, report.id, "afvist")
            st.rerun()


def _when(report: Feedback) -> str:
    return datetime.fromisoformat(report.at).astimezone().strftime("%d.%m.%Y %H:%M")


def render_suite() -> None:
    st.subheader("Testspørgsmål")
    st.caption(
        "De faste testspørgsmål pr. aftaleperiode køres gennem den samme assistent som chatten. "
        "Forventede fejl vises med begrundelse og vælter ikke kørslen."
    )
    try:
        cases = load_cases()
    except CaseFileError as exc:
        st.error(f"Testspørgsmålene kan ikke indlæses: {exc}")
        return
    assistant = get_assistant()
    ensure_index(assistant)
    choice = st.selectbox("Periode", [ALL, *groups_of(cases)], format_func=group_label)
    if st.button("Kør testspørgsmålene", type="primary"):
        bar = st.progress(0.0, text="Starter …")

        def progress(done: int, total: int, case: Case) -> None:
            bar.progress(done / total, text=f"{done} af {total} · {case.id}")

        options = RunOptions(
            groups=() if choice == ALL else (choice,),
            progress=progress,
        )
        st.session_state.eval_report = run_suite(assistant, cases, options)
        bar.empty()
    report = st.session_state.get("eval_report")
    if report is not None:
        render_run(report)


def render_run(report: RunReport) -> None:
    m = report.overall
    summary = f"{m.passed} af {m.cases} bestået · {m.failed} fejl · {m.xfailed} forventede fejl"
    if m.xpassed:
        summary += f" · {m.xpassed} består nu trods forventet fejl"
    (st.success if report.ok else st.error)(summary)
    st.subheader("Nøgletal pr. periode")
    render_table(metrics_rows(report, group_label))
    groups = list(report.by_group)
    for tab, group in zip(st.tabs([group_label(g) for g in groups]), groups):
        with tab:
            render_table([case_row(r) for r in report.results if r.case.group == group])
    render_expected_failures(report)
    st.download_button(
        "Hent hele rapporten (JSON)", format_json(report), "testrapport.json", "application/json"
    )


def group_label(group: str) -> str:
    return GROUP_LABELS.get(group, group)


def case_row(r: CaseResult) -> dict[str, str]:
    return {
        "Spørgsmål": r.case.question,
        "Resultat": STATUS_LABELS[r.status],
        "Begrundelse": r.reason,
        "Id": r.case.id,
    }


def render_expected_failures(report: RunReport) -> None:
    marked = [r for r in report.results if r.status in (XFAIL, XPASS)]
    st.subheader(f"Forventede fejl: {len(marked)}")
    if not marked:
        st.caption("Ingen testspørgsmål er markeret som forventede fejl.")
    for r in marked:
        reason = escape_markdown(r.case.xfail or "")
        st.markdown(f"- **{escape_markdown(r.case.id)}** ({STATUS_LABELS[r.status]}): {reason}")


st.title("Sekretariat")
st.caption(
    "Sekretariatets værktøjer: sagsbehandlernes tilbagemeldinger på svar, beregnernes regler for hver "
    "aftaleperiode og de faste testspørgsmål, der viser, hvor godt assistenten svarer i hver periode."
)
render_feedback_list()
render_rules()
render_suite()
