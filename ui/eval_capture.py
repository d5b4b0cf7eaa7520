""""Gem som eval-case" under a chat answer: a staff member confirms the facts the answer must
contain, and the case is appended to evals/cases/captured.yaml, so the suite grows from real use.
Thin: the draft, validation and atomic write live in :mod:`evals.cases`."""

from __future__ import annotations

import streamlit as st

from core.periods import PERIODS
from core.records import Answer
from evals.cases import (
    CaseEdits,
    CaseFileError,
    append_case,
    draft_case,
    format_facts,
    parse_facts,
    suggested_facts,
)

NO_PERIOD = "Ingen bestemt periode"


def render_save_case(answer: Answer, key: str) -> None:
    """``key`` must be stable across reruns for the same answer (e.g. ``id`` of the Answer object
    kept in session state), or the form's submit is lost on the rerun it triggers."""
    with st.expander("Gem som eval-case"):
        saved = st.session_state.get(f"eval-saved-{key}")
        if saved:
            st.success(f"Gemt som eval-case »{saved}« i evals/cases/captured.yaml.")
            return
        with st.form(f"eval-case-{key}"):
            edits = _read_edits(answer)
            submitted = st.form_submit_button("Bekræft og gem case")
        if submitted:
            _save(answer, edits, key)


def _read_edits(answer: Answer) -> CaseEdits:
    st.caption(f"Spørgsmål: {answer.question}")
    facts_text = st.text_area(
        "Fakta svaret skal indeholde",
        value=format_facts(suggested_facts(answer)),
        help="Ét faktum pr. linje; tilladte varianter adskilles med |, fx »30. april 2024 | 2024-04-30«.",
    )
    document = st.text_input(
        "Forventet kildedokument", value=answer.citations[0].document if answer.citations else ""
    )
    periods = [NO_PERIOD, *PERIODS]
    index = periods.index(answer.period) if answer.period in periods else 0
    period = st.selectbox("Aftaleperiode spørgsmålet gælder", periods, index=index)
    abstain = st.checkbox(
        "Dokumenterne dækker ikke spørgsmålet (assistenten skal sige det)", value=answer.abstained
    )
    return CaseEdits(
        facts=parse_facts(facts_text),
        expected_document=document.strip() or None,
        period=None if period == NO_PERIOD else period,
        abstain=abstain,
    )


def _save(answer: Answer, edits: CaseEdits, key: str) -> None:
    try:
        case = append_case(draft_case(answer, edits))
    except CaseFileError as exc:
        st.error(str(exc))
        return
    st.session_state[f"eval-saved-{key}"] = case.id
    st.success(f"Gemt som eval-case »{case.id}«.")
