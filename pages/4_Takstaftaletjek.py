"""Tariff-agreement check page: tariffs per year in, verdict per takstaftale with reasons and clauses
out. The year range and the index choice sit outside the form, so changing them redraws the
fields at once; every field starts empty, and nothing is judged until each shown field is filled."""

from __future__ import annotations

from typing import cast

import streamlit as st

from assistant.calculators.rules import CalculatorInputError, citations_for
from assistant.calculators.tariff_check import check_tariffs
from ui.numbers import FieldReader
from ui.render import escape_markdown, render_clauses
from ui.resources import get_rules

st.set_page_config(page_title="Takstaftaletjek", layout="wide")

YEARS = list(range(2014, 2027))


def read_fields(years: range, use_index: bool) -> tuple[dict[int, str], dict[int, str]]:
    """One tariff field per year and, with the index ticked, one index field beside it."""
    tariffs: dict[int, str] = {}
    index: dict[int, str] = {}
    for year in years:
        left, right = st.columns(2)
        tariffs[year] = left.text_input(f"Takst {year} (kr.)", key=f"t{year}", placeholder="fx 1.234,50")
        if use_index:
            index[year] = right.text_input(
                f"Pris- og lønindeks {year}", key=f"i{year}", placeholder="fx 102,3"
            )
    return tariffs, index


def show_result(tariffs: dict[int, float], index: dict[int, float] | None) -> None:
    try:
        result = check_tariffs(get_rules(), tariffs, index)
    except CalculatorInputError as exc:
        st.error(str(exc))
        return
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


st.title("Takstaftaletjek")
st.caption("Overholder et tilbuds takstudvikling takstaftalerne? Taksterne vurderes i faste priser.")

first, last = st.select_slider("År", options=YEARS, value=(2023, 2024))
use_index = st.checkbox("Omregn med pris- og lønindeks (ellers antages faste priser)")
years = range(first, last + 1)
with st.form("check"):
    st.caption("Skriv beløb som 1.234.567,89. Alle felter skal udfyldes.")
    tariff_texts, index_texts = read_fields(years, use_index)
    submitted = st.form_submit_button("Tjek")

if submitted:
    reader = FieldReader()
    tariffs = {y: reader.number(t, f"Takst {y}", required=True) for y, t in tariff_texts.items()}
    index = {y: reader.number(t, f"Pris- og lønindeks {y}", required=True) for y, t in index_texts.items()}
    if reader.ok:  # every field is required, so each value was read
        show_result(cast(dict[int, float], tariffs), cast(dict[int, float], index) if use_index else None)
    else:
        st.error("Tjekket er ikke lavet:\n\n" + "\n".join(f"- {escape_markdown(p)}" for p in reader.problems))
