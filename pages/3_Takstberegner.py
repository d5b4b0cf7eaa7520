"""Tariff calculator page: inputs in, itemised budget, tariffs, assumptions and clauses out.
Amounts are typed and shown the Danish way (ui.numbers); an optional field left empty means
"not given", which the calculator then takes from the agreement and says so."""

from __future__ import annotations

from typing import cast

import streamlit as st

from assistant.calculators.rules import CalculatorInputError, citations_for
from assistant.calculators.tariff import (
    TARGET_GROUPS,
    TargetGroup,
    TariffInput,
    TariffResult,
    compute_tariff,
    format_kr,
    format_pct,
)
from ui.calculator_form import show_problems
from ui.numbers import FieldReader
from ui.render import render_clauses
from ui.resources import get_rules
from ui.tables import render_table

st.set_page_config(page_title="Takstberegner", layout="wide")

AMOUNT = "fx 1.234.567,89"


def read_inputs() -> tuple[dict[str, str], int | None, str, str]:
    """The form's raw texts (amounts), places, target group and period."""
    left, right = st.columns(2)
    texts = {
        "costs": left.text_input("Direkte driftsudgifter pr. år (kr.)", placeholder=AMOUNT),
        "tjm": left.text_input("Heraf lønninger til tjenestemænd (kr.)", placeholder="tom = 0"),
        "assets": left.text_input("Værdi af grunde, bygninger og inventar (kr.)", placeholder="tom = 0"),
        "depreciation": left.text_input("Afskrivninger (kr.)", placeholder="tom = 0"),
        "rent": left.text_input("Husleje (kr.)", placeholder="tom = 0"),
        "prior": right.text_input(
            "Overskud (+) eller underskud (−) for to år siden (kr.)",
            placeholder="tom = 0, underskud fx -250.000",
        ),
        "prior_budget": right.text_input(
            "Budget for to år siden (kr.)", placeholder="tom = årets budget bruges til 5 %-grænsen"
        ),
        "occupancy": right.text_input("Belægningsprocent", placeholder="tom = den aftalte belægning"),
        "interest": right.text_input("Forrentningssats (%)", placeholder="tom = styringsaftalens sats"),
    }
    places = right.number_input("Antal pladser", min_value=1, value=None, step=1, placeholder="fx 12")
    group = right.selectbox("Målgruppe", list(TARGET_GROUPS), format_func=lambda key: TARGET_GROUPS[key])
    periods = list(get_rules().periods)
    period = right.selectbox("Aftaleperiode", periods, index=len(periods) - 1)
    return texts, places, str(group), str(period)  # a selectbox with options always has a choice


def to_input(
    texts: dict[str, str], places: int | None, group: str, period: str
) -> tuple[TariffInput | None, list[str]]:
    """The calculator's input, or the problems that stop it (an empty required field included)."""
    read = FieldReader()
    costs = read.number(texts["costs"], "Direkte driftsudgifter", required=True)
    optional = {
        key: read.number(texts[key], label, negative=key == "prior")
        for key, label in (
            ("tjm", "Lønninger til tjenestemænd"),
            ("assets", "Værdi af grunde, bygninger og inventar"),
            ("depreciation", "Afskrivninger"),
            ("rent", "Husleje"),
            ("prior", "Over- eller underskud"),
            ("prior_budget", "Budget for to år siden"),
            ("occupancy", "Belægningsprocent"),
            ("interest", "Forrentningssats"),
        )
    }
    if places is None:
        read.problems.append("Antal pladser: feltet er ikke udfyldt.")
    if not read.ok or costs is None or places is None:
        return None, read.problems
    data = TariffInput(
        direct_operating_costs=costs,
        places=int(places),
        target_group=cast(TargetGroup, group),
        period=period,
        tjm_salaries=optional["tjm"] or 0.0,
        asset_value=optional["assets"] or 0.0,
        depreciation=optional["depreciation"] or 0.0,
        rent=optional["rent"] or 0.0,
        prior_result=optional["prior"] or 0.0,
        prior_budget=optional["prior_budget"],
        occupancy_pct=optional["occupancy"],
        interest_rate_pct=optional["interest"],
    )
    return data, []


def show_result(result: TariffResult) -> None:
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
            "Beløb": format_kr(line.amount),
            "Procent": format_pct(line.percentage) if line.percentage is not None else None,
            "Grundlag": line.base,
            "Kilde": " ".join(f"[{number[(k.document, k.quote)]}]" for k in line.clauses),
        }
        for line in result.lines
    ]
    rows.append({"Post": "I alt til finansiering", "Beløb": format_kr(result.amount_to_finance)})
    st.subheader("Budget")
    render_table(rows)
    for assumption in result.assumptions:
        st.warning(f"Antagelse: {assumption}")
    for note in result.notes:
        st.info(note)
    render_clauses(citations)


st.title("Takstberegner")
st.caption("Budget, årstakst pr. plads og døgntakst efter styringsaftalens procentsatser.")

with st.form("tariff"):
    st.caption("Skriv beløb som 1.234.567,89. Felter markeret »tom = …« kan stå tomme.")
    texts, places, group, period = read_inputs()
    submitted = st.form_submit_button("Beregn")

if submitted:
    data, problems = to_input(texts, places, group, period)
    if data is None:
        show_problems(problems)
    else:
        try:
            show_result(compute_tariff(get_rules(), data))
        except CalculatorInputError as exc:
            st.error(str(exc))
