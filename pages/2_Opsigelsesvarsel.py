"""Notice-period calculator page: date in, last day of payment and the clauses out. The form is
derived from the calculator's registration (ui/calculator_form.py); the result is drawn here."""

from __future__ import annotations

from typing import cast

import streamlit as st

from assistant.calculators.notice import NoticeResult
from assistant.calculators.registry import calculator
from assistant.calculators.rules import CalculatorInputError, citations_for
from ui.calculator_form import calculator_form, show_problems
from ui.render import render_clauses
from ui.resources import get_rules

st.set_page_config(page_title="Opsigelsesvarsel", layout="wide")

NOTICE = calculator("notice")


def show_result(result: NoticeResult) -> None:
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


st.title("Opsigelsesvarsel")
st.caption(
    "Sidste betalingsdag efter opsigelse eller dødsfald efter aftaleperiodens regel (fx løbende måned plus én måned)."
)

submitted = calculator_form(NOTICE, list(get_rules().periods), key="notice")
if submitted is not None:
    if submitted.inputs is None:
        show_problems(submitted.problems)
    else:
        try:
            show_result(cast(NoticeResult, NOTICE.compute(get_rules(), submitted.inputs)))
        except CalculatorInputError as exc:
            st.error(str(exc))
