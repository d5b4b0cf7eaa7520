"""The secretariat's form for a period's calculator rules: each parameter with its value and how
it is founded, and a form to record one by quoting the clause that states it. Thin: the assistant
verifies the quote, reads the value and writes the rules file; this renders."""

from __future__ import annotations

import streamlit as st

from assistant.api import RuleRecordingError, UnknownPeriodError
from assistant.calculators.recording import PARAMETERS, format_value
from ui.render import escape_markdown
from ui.resources import ensure_index, get_assistant
from ui.tables import render_table

OWN, CONFIRMS = "Citatet angiver værdien", "Citatet bekræfter, at værdien fra forrige periode videreføres"


def render_rules() -> None:
    assistant = get_assistant()
    ensure_index(assistant)
    st.subheader("Regler for beregnerne")
    st.caption(
        "Hver værdi, beregnerne bruger, skal stå ordret i periodens dokumenter. Vælg parameteren, kopiér "
        "den sætning eller tabelrække, der angiver den, og tjek værdien, før du gemmer. En parameter, "
        "som periodens dokumenter ikke angiver, står som »videreført, ubekræftet« i alle beregninger."
    )
    periods = list(assistant.documents.rules.periods)
    period = st.selectbox("Aftaleperiode", periods, index=len(periods) - 1, key="rules-period")
    rows = [
        {
            "Parameter": s.parameter.label,
            "Værdi": format_value(s.value),
            "Grundlag": s.basis_label,
            "Fra periode": s.origin_period,
        }
        for s in assistant.documents.rule_status(period)
    ]
    render_table(rows)
    _render_record_form(period)


def _render_record_form(period: str) -> None:
    assistant = get_assistant()
    documents = [
        d for d in assistant.documents.indexed() if period in [p.strip() for p in d.period.split(",")]
    ]
    if not documents:
        st.info(f"Der er ingen dokumenter fra {period} i indekset. Upload periodens aftale under Dokumenter.")
        return
    titles = {d.document: d.title for d in documents}
    with st.form("record-rule"):
        key = st.selectbox("Parameter", list(PARAMETERS), format_func=lambda k: PARAMETERS[k].label)
        document = st.selectbox("Dokument", list(titles), format_func=lambda name: titles[name])
        quote = st.text_area("Citat fra dokumentet (ordret)", placeholder="fx Administration 4,5 %")
        how = st.radio("Hvad siger citatet?", [OWN, CONFIRMS], horizontal=True)
        check, save = st.columns(2)
        preview = check.form_submit_button("Tjek citatet")
        submitted = save.form_submit_button("Gem reglen", type="primary")
    if not (preview or submitted):
        return
    action = assistant.documents.record_rule if submitted else assistant.documents.propose_rule
    try:
        proposal = action(period, key, document, quote, how == CONFIRMS)
    except (RuleRecordingError, UnknownPeriodError) as exc:
        st.error(str(exc))
        return
    (st.success if submitted else st.info)(
        ("Gemt: " if submitted else "Klar til at gemme: ") + escape_markdown(proposal.summary_da())
    )
