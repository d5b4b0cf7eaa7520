"""A calculator's form, derived from its registration (assistant/calculators/registry.py): one
widget per input field, chosen by the field's type and labelled in the caseworker's words its
metadata gives. Amounts are typed the Danish way (ui.numbers). Per-year values have no generic
widget; a calculator with them has a page of its own (the takstaftale check)."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import streamlit as st

from assistant.calculators.registry import Calculator, calculator, field_types, is_required
from assistant.calculators.rules import CalculatorInputError, RuleBook, citations_for
from ui.numbers import FieldReader
from ui.render import escape_markdown, render_clauses

UNSET = "Ikke angivet"


@dataclass(frozen=True)
class Submitted:
    """A submitted form: the calculator's inputs, or the problems that stop them."""

    inputs: Any | None
    problems: list[str]


def calculator_form(
    entry: Calculator, periods: Sequence[str], key: str, submit: str = "Beregn"
) -> Submitted | None:
    """Draw the form; None until it is submitted."""
    kinds = field_types(entry)
    with st.form(key):
        raw = {field.name: _widget(field, *kinds[field.name], periods) for field in entry.fields()}
        if not st.form_submit_button(submit):
            return None
    reader = FieldReader()
    values = {}
    for field in entry.fields():
        value = _value(field, kinds[field.name][0], raw[field.name], reader)
        if value is not None:
            values[field.name] = value
    if not reader.ok:
        return Submitted(None, reader.problems)
    return Submitted(entry.inputs(**values), [])


def calculator_page(name: str, title: str, rules: RuleBook) -> None:
    """A whole page for a registered calculator: its form, and its result as its text form with
    the clauses. A page file for a new calculator is this one call."""
    entry = calculator(name)
    st.title(title)
    st.caption(entry.summary)
    submitted = calculator_form(entry, list(rules.periods), key=name)
    if submitted is None:
        return
    if submitted.inputs is None:
        show_problems(submitted.problems)
        return
    try:
        result = entry.compute(rules, submitted.inputs)
    except CalculatorInputError as exc:
        st.error(str(exc))
        return
    st.success(result.summary_da())
    for line in entry.text(result)[1:]:  # the first line is the summary
        if line.strip():
            st.markdown(escape_markdown(line.strip()))
    render_clauses(citations_for(result.clauses))


def show_problems(problems: Sequence[str]) -> None:
    st.error("Beregningen er ikke lavet:\n\n" + "\n".join(f"- {escape_markdown(p)}" for p in problems))


def label_of(field: dataclasses.Field) -> str:
    return str(field.metadata.get("label") or field.metadata.get("description") or field.name)


def _widget(field: dataclasses.Field, base: Any, optional: bool, periods: Sequence[str]) -> Any:
    label, meta, key = label_of(field), field.metadata, field.name
    if meta.get("kind") == "period":
        if optional:
            return st.selectbox(label, [_unset(field), *periods], key=key)
        return st.selectbox(label, list(periods), index=len(periods) - 1, key=key)
    if base is date:
        return st.date_input(label, value=date.today(), format="DD.MM.YYYY", key=key)
    if base is bool:
        return st.checkbox(label, key=key)
    if typing.get_origin(base) is Literal:
        names = meta.get("choices") or {}
        options = list(typing.get_args(base))
        return st.radio(label, options, format_func=lambda o: names.get(o, o), horizontal=True, key=key)
    if base is int:
        return st.number_input(label, min_value=1, value=None, step=1, key=key)
    if base is float:
        return st.text_input(label, placeholder="fx 1.234.567,89", key=key)
    if base is str:
        return st.text_input(label, key=key)
    raise TypeError(f"{field.name}: {base} has no generic widget; give the calculator a page of its own")


def _unset(field: dataclasses.Field) -> str:
    """What leaving an optional period unset is called in the list ("Ud fra datoen")."""
    return str(field.metadata.get("unset") or UNSET)


def _value(field: dataclasses.Field, base: Any, raw: Any, reader: FieldReader) -> Any:
    """The field's value from its widget; None leaves the field's default."""
    if field.metadata.get("kind") == "period":
        return None if raw == _unset(field) else raw
    if base is float:
        return reader.number(raw, label_of(field), required=is_required(field), negative=True)
    if raw in (None, "") and is_required(field):
        reader.problems.append(f"{label_of(field)}: feltet er ikke udfyldt.")
    return None if raw in (None, "") else raw
