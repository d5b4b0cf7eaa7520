"""Tariff-agreement check page: tariffs per year in, verdict per takstaftale with reasons and clauses out."""

from __future__ import annotations

import streamlit as st

from assistant.calculators.rules import CalculatorInputError, citations_for
from assistant.calculators.tariff_check import check_tariffs
from ui.render import render_clauses
from ui.resources import get_rules

st.set_page_config(page_title="Takstaftaletjek", layout="wide")


st.title("Takstaftaletjek")
st.caption("Overholder et tilbuds takstudvikling takstaftalerne? Taksterne vurderes i faste priser.")

with st.form("check"):
    first, last = st.select_slider("År", options=list(range(2014, 2027)), value=(2023, 2024))
    use_index = st.checkbox("Omregn med pris- og lønindeks (ellers antages faste priser)")
    tariffs: dict[int, float] = {}
    index: dict[int, float] = {}
    for year in range(first, last + 1):
        left, right = st.columns(2)
        tariffs[year] = left.number_input(f"Takst {year} (kr.)", min_value=0.0, value=1000.0, key=f"t{year}")
        if use_index:
            index[year] = right.number_input(f"Indeks {year}", min_value=0.0, value=100.0, key=f"i{year}")
    submitted = st.form_submit_button("Tjek")

if submitted:
    try:
        result = check_tariffs(get_rules(), tariffs, index if use_index else None)
    except CalculatorInputError as exc:
        st.error(str(exc))
    else:
        show = {True: st.success, False: st.error, None: st.warning}[result.compliant]
        show(result.summary_da())
        for check in result.checks:
            st.subheader(f"Takstaftale {check.agreement_id}: {check.verdict_da()}")
            st.caption(check.description)
            for reason in check.reasons:
                st.markdown(f"- {reason}")
            for note in check.notes:
                st.info(note)
        for note in result.notes:
            st.info(note)
        render_clauses(citations_for(result.clauses))
