"""Notice-period calculator page: date in, last day of payment and the clauses out."""

from __future__ import annotations

from datetime import date

import streamlit as st

from assistant.calculators.notice import PLACE_TYPE_LABELS, compute_notice
from assistant.calculators.rules import CalculatorInputError, citations_for
from ui.render import render_clauses
from ui.resources import get_rules

st.set_page_config(page_title="Opsigelsesvarsel", layout="wide")


AUTO = "Ud fra datoen"

st.title("Opsigelsesvarsel")
st.caption(
    "Sidste betalingsdag efter opsigelse eller dødsfald efter aftaleperiodens regel (fx løbende måned plus én måned)."
)

with st.form("notice"):
    notice_date = st.date_input("Dato for opsigelse eller dødsfald", value=date.today(), format="DD.MM.YYYY")
    death = st.checkbox("Datoen er en dødsdato")
    place_type = st.radio(
        "Pladstype", list(PLACE_TYPE_LABELS), format_func=PLACE_TYPE_LABELS.get, horizontal=True
    )
    choice = st.selectbox("Aftaleperiode", [AUTO, *get_rules().periods])
    submitted = st.form_submit_button("Beregn")

if submitted:
    try:
        result = compute_notice(
            get_rules(),
            notice_date,
            period=None if choice == AUTO else choice,
            death=death,
            place_type=place_type,
        )
    except CalculatorInputError as exc:
        st.error(str(exc))
    else:
        if result.applies and result.last_paid_day:
            st.metric("Sidste betalingsdag", result.last_paid_day.strftime("%d.%m.%Y"))
        else:
            st.warning("Opsigelsesvarslet gælder ikke for objektivt finansierede pladser (§ 40).")
        st.success(result.summary_da())
        st.markdown(f"**Regel:** »{result.rule}«")
        for condition in result.conditions:
            st.markdown(f"**Betingelse:** {condition}")
        for note in result.notes:
            st.info(note)
        render_clauses(citations_for(result.clauses))
