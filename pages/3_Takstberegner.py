"""Tariff calculator page: inputs in, itemised budget, tariffs, assumptions and clauses out."""

from __future__ import annotations

import streamlit as st

from assistant.calculators.rules import CalculatorInputError, citations_for
from assistant.calculators.tariff import TARGET_GROUPS, TariffInput, compute_tariff, format_kr, format_pct
from core.periods import PERIODS
from ui.resources import get_rules

st.set_page_config(page_title="Takstberegner", layout="wide")


st.title("Takstberegner")
st.caption("Budget, årstakst pr. plads og døgntakst efter styringsaftalens procentsatser.")

with st.form("tariff"):
    left, right = st.columns(2)
    costs = left.number_input("Direkte driftsudgifter pr. år (kr.)", min_value=0.0, value=9_500_000.0, step=100_000.0)
    tjm = left.number_input("Heraf tjenestemandslønninger (kr.)", min_value=0.0, value=0.0, step=10_000.0)
    assets = left.number_input("Værdi af grunde, bygninger og inventar (kr.)", min_value=0.0, value=0.0, step=100_000.0)
    depreciation = left.number_input("Afskrivninger (kr.)", min_value=0.0, value=0.0, step=10_000.0)
    rent = left.number_input("Husleje (kr.)", min_value=0.0, value=0.0, step=10_000.0)
    places = right.number_input("Antal pladser", min_value=1, value=12, step=1)
    group = right.selectbox("Målgruppe", list(TARGET_GROUPS), format_func=TARGET_GROUPS.get)
    period = right.selectbox("Aftaleperiode", PERIODS, index=len(PERIODS) - 1)
    prior = right.number_input("Over- (+) eller underskud (−) fra år t-2 (kr.)", value=0.0, step=10_000.0)
    prior_budget = right.number_input("Budget for år t-2 (kr., 0 = ikke oplyst)", min_value=0.0, value=0.0)
    occupancy = right.number_input("Belægningsprocent (0 = den aftalte)", min_value=0.0, max_value=100.0, value=0.0)
    interest = right.number_input("Forrentningssats i % (0 = fra regelfilen)", min_value=0.0, max_value=25.0, value=0.0)
    submitted = st.form_submit_button("Beregn")

if submitted:
    data = TariffInput(
        direct_operating_costs=costs, places=int(places), target_group=group, period=period,
        tjm_salaries=tjm, asset_value=assets, depreciation=depreciation, rent=rent, prior_result=prior,
        prior_budget=prior_budget or None, occupancy_pct=occupancy or None, interest_rate_pct=interest or None,
    )
    try:
        result = compute_tariff(get_rules(), data)
    except CalculatorInputError as exc:
        st.error(str(exc))
    else:
        # Two columns, not three: at 1024 px a third of the page cuts an annual tariff to "857.100,3…".
        a, b = st.columns(2)
        a.metric("Døgntakst", format_kr(result.daily_tariff))
        b.metric("Årstakst pr. plads", format_kr(result.annual_tariff_per_place))
        st.caption(f"Beregnet med en belægning på {format_pct(result.occupancy_pct)}.")
        citations = citations_for(result.clauses)
        number = {(x.document, x.quote): x.n for x in citations}
        rows = [
            {
                "Post": line.label,
                "Procent": format_pct(line.percentage) if line.percentage is not None else "",
                "Grundlag": line.base,
                "Beløb": format_kr(line.amount),
                "Kilde": " ".join(f"[{number[(k.document, k.quote)]}]" for k in line.clauses),
            }
            for line in result.lines
        ]
        rows.append({"Post": "I alt til finansiering", "Procent": "", "Grundlag": "", "Beløb": format_kr(result.amount_to_finance), "Kilde": ""})
        st.subheader("Budget")
        # The amount next to the item: the long "Grundlag" texts go last, so a narrow window
        # scrolls them rather than the amounts out of view.
        st.dataframe(
            rows, hide_index=True, width="stretch",
            column_order=("Post", "Beløb", "Procent", "Kilde", "Grundlag"),
        )
        for assumption in result.assumptions:
            st.warning(f"Antagelse: {assumption}")
        for note in result.notes:
            st.info(note)
        st.subheader("Kilder")
        for x in citations:
            page = f", s. {x.page}" if x.page else ""
            st.markdown(f"**[{x.n}] {x.title}** – {x.section}{page} (`{x.document}`)\n\n> {x.quote}")
