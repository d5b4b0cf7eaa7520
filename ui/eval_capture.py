""" "Gem som testspørgsmål" on the secretariat page: for an answer a caseworker reported, the
secretariat confirms the facts the answer must contain, and the case is appended to
evals/cases/captured.yaml, so the suite grows from real use. Thin: the draft, validation and
atomic write live in :mod:`evals.cases`."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

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
from ui.resources import get_assistant

NO_PERIOD = "Ingen bestemt periode"


def render_save_case(answer: Answer, key: str, on_saved: Callable[[str], None] | None = None) -> None:
    """``key`` must be stable across reruns for the same answer (e.g. the feedback report's id),
    or the form's submit is lost on the rerun it triggers. ``on_saved`` gets the new case's id."""
    saved = st.session_state.get(f"eval-saved-{key}")
    if saved:
        st.success(f"Gemt som testspørgsmål »{saved}«.")
        return
    with st.form(f"eval-case-{key}"):
        edits = _read_edits(answer)
        submitted = st.form_submit_button("Gem som testspørgsmål")
    if submitted:
        _save(answer, edits, key, on_saved)


def _read_edits(answer: Answer) -> CaseEdits:
    st.caption(f"Spørgsmål: {answer.question}")
    facts_text = st.text_area(
        "Fakta svaret skal indeholde",
        value=format_facts(suggested_facts(answer)),
        help="Ét faktum pr. linje; tilladte varianter adskilles med |, fx »30. april 2024 | 2024-04-30«.",
    )
    document = st.text_input(
        "Forventet kildedokument (filnavn)", value=answer.citations[0].document if answer.citations else ""
    )
    periods = [NO_PERIOD, *get_assistant().documents.periods()]
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


def _save(answer: Answer, edits: CaseEdits, key: str, on_saved: Callable[[str], None] | None) -> None:
    try:
        case = append_case(draft_case(answer, edits))
    except CaseFileError as exc:
        st.error(str(exc))
        return
    st.session_state[f"eval-saved-{key}"] = case.id
    if on_saved is not None:
        on_saved(case.id)
    st.success(f"Gemt som testspørgsmål »{case.id}«.")
