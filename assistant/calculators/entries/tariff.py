"""The tariff calculator's registration: budget, annual tariff per place and daily tariff."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import cast

from assistant.calculators.entries.common import (
    CHECK_WORDS,
    TARIFF_WORDS,
    error_answer,
    ref_list,
    refs,
    segments,
)
from assistant.calculators.registry import Calculator, Intent
from assistant.calculators.rules import CalculatorInputError, Clause, RuleBook, citations_for
from assistant.calculators.tariff import (
    TARGET_GROUPS,
    TargetGroup,
    TariffInput,
    TariffResult,
    compute_tariff,
    format_kr,
    format_pct,
)
from core.parsing import AmountMention, find_amounts, looks_like_year
from core.periods import UnknownPeriodError
from core.records import Answer

NAME = "tariff"

# Order matters: the first keyword found in a segment decides what its amount is.
_AMOUNT_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("tjm_salaries", re.compile(r"tjenestem", re.IGNORECASE)),
    ("depreciation", re.compile(r"afskriv", re.IGNORECASE)),
    ("rent", re.compile(r"husleje|\bleje", re.IGNORECASE)),
    ("asset_value", re.compile(r"grund|bygning|inventar|ejendom", re.IGNORECASE)),
    ("deficit", re.compile(r"underskud", re.IGNORECASE)),
    ("surplus", re.compile(r"overskud", re.IGNORECASE)),
    ("direct_operating_costs", re.compile(r"drift|udgift|omkostning|budget|operating|costs", re.IGNORECASE)),
)
_PCT_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("interest_rate_pct", re.compile(r"rente|forrentning|diskonto", re.IGNORECASE)),
    ("occupancy_pct", re.compile(r"belægning", re.IGNORECASE)),
    ("admin_pct", re.compile(r"administration", re.IGNORECASE)),
)
_TARGET_GROUP_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("forsorgshjem_krisecenter", re.compile(r"forsorgshjem|krisecent", re.IGNORECASE)),
    ("boern_unge", re.compile(r"\bbørn|\bunge\b|ungeområde|children|\byoung", re.IGNORECASE)),
    ("voksne", re.compile(r"voks(?:e|n)|\badults?\b", re.IGNORECASE)),
)


_FIELD_LABELS = {
    "direct_operating_costs": "direkte driftsudgifter",
    "places": "antal pladser",
    "tjm_salaries": "heraf tjenestemandslønninger",
    "asset_value": "værdi af grunde, bygninger og inventar",
    "depreciation": "afskrivninger",
    "rent": "husleje",
    "prior_result": "over-/underskud fra år t-2",
    "interest_rate_pct": "forrentningssats",
    "occupancy_pct": "belægningsprocent",
    "admin_pct": "administrationsprocent",
}


@dataclass(frozen=True)
class TariffRequest:
    """A chat question's inputs, each amount assigned by the keyword in its clause; the period
    is settled when it is answered (see :func:`answer`)."""

    values: dict[str, float] = field(default_factory=dict)
    target_group: str | None = None
    period: str | None = None
    period_note: str = ""  # why the period was chosen, when the question did not name one


def read(question: str, means_notice: Intent | None) -> TariffRequest | None:
    """A tariff question (not a takstaftale check) that gives an amount in kr. or a number of places."""
    if not TARIFF_WORDS.search(question) or CHECK_WORDS.search(question):
        return None
    amounts = [a for a in find_amounts(question) if not looks_like_year(a) and a.unit in ("kr", "pladser")]
    if not amounts:
        return None
    values: dict[str, float] = {}
    for segment in segments(question):
        _read_segment(segment, values)
    return TariffRequest(values, next((g for g, p in _TARGET_GROUP_WORDS if p.search(question)), None))


def _read_segment(segment: str, values: dict[str, float]) -> None:
    for amount in find_amounts(segment):
        if looks_like_year(amount):
            continue
        if amount.unit == "pladser":
            values.setdefault("places", amount.value)
        elif amount.unit == "pct":
            key = next((k for k, p in _PCT_FIELDS if p.search(segment)), None)
            if key:
                values.setdefault(key, amount.value)
        else:
            _assign_amount(segment, amount, values)


def _assign_amount(segment: str, amount: AmountMention, values: dict[str, float]) -> None:
    if amount.unit is None and amount.value < 100:
        return  # a bare small number ("24") is no amount of money
    key = next((k for k, p in _AMOUNT_FIELDS if p.search(segment)), None)
    if key in ("deficit", "surplus"):
        values.setdefault("prior_result", -amount.value if key == "deficit" else amount.value)
    elif key is not None:
        values.setdefault(key, amount.value)


def answer(
    question: str, request: TariffRequest, rules: RuleBook, period: str | None, named: str | None
) -> Answer:
    return _answer_tariff(question, _tariff_query(request, period, named, rules), rules)


def _tariff_query(
    request: TariffRequest, period: str | None, named: str | None, rules: RuleBook
) -> TariffRequest:
    """The request with the period it is computed for: the one chosen, else the one the question
    names, else the latest with rules (and a note saying so)."""
    if period:
        try:
            period = rules.calendar.normalize(period)
        except UnknownPeriodError:
            pass
        return replace(request, period=period)
    if named:
        return replace(request, period=named)
    latest = rules.latest
    note = f"Ingen aftaleperiode nævnt – der er regnet efter den seneste, {latest}."
    return replace(request, period=latest, period_note=note)


def _answer_tariff(question: str, query: TariffRequest, rules: RuleBook) -> Answer:
    missing = [
        label
        for key, label in (
            ("direct_operating_costs", "de direkte driftsudgifter (fx »9,5 mio. i driftsudgifter«)"),
            ("places", "antal pladser (fx »12 pladser«)"),
        )
        if key not in query.values
    ]
    if query.target_group == "forsorgshjem_krisecenter" and "occupancy_pct" not in query.values:
        missing.append(
            "belægningsprocenten (dokumenterne fastsætter ingen for forsorgshjem og kvindekrisecentre)"
        )
    if missing:
        return _missing_answer(question, query, missing, rules)
    groups = [query.target_group] if query.target_group else ["boern_unge", "voksne"]
    try:
        results = [compute_tariff(rules, _tariff_input(query, group)) for group in groups]
    except CalculatorInputError as exc:
        return error_answer(question, NAME, str(exc), query.period)
    return _tariff_answer(question, query, results)


def _tariff_input(query: TariffRequest, group: str) -> TariffInput:
    v = query.values
    places = v["places"]
    if places != int(places):
        raise CalculatorInputError("Antal pladser skal være et helt tal på mindst 1.")
    return TariffInput(
        direct_operating_costs=v["direct_operating_costs"],
        places=int(places),
        target_group=cast(TargetGroup, group),
        period=query.period or "",
        tjm_salaries=v.get("tjm_salaries", 0.0),
        asset_value=v.get("asset_value", 0.0),
        depreciation=v.get("depreciation", 0.0),
        rent=v.get("rent", 0.0),
        prior_result=v.get("prior_result", 0.0),
        occupancy_pct=v.get("occupancy_pct"),
        interest_rate_pct=v.get("interest_rate_pct"),
        admin_pct=v.get("admin_pct"),
    )


def _understood_lines(query: TariffRequest) -> list[str]:
    lines = ["Sådan har jeg forstået spørgsmålet:"]
    for key, label in _FIELD_LABELS.items():
        if key in query.values:
            value = query.values[key]
            shown = (
                f"{value:g}"
                if key == "places"
                else (format_pct(value) if key.endswith("_pct") else format_kr(value))
            )
            lines.append(f"- {label.capitalize()}: {shown}")
    group = TARGET_GROUPS[query.target_group] if query.target_group else "ikke angivet"
    lines.append(f"- Målgruppe: {group}")
    lines.append(f"- Aftaleperiode: {query.period}")
    not_given = [
        label
        for key, label in _FIELD_LABELS.items()
        if key not in query.values
        and key not in ("direct_operating_costs", "places", "occupancy_pct", "interest_rate_pct", "admin_pct")
    ]
    if not_given:
        lines.append(f"- Ikke oplyst (sat til 0 kr.): {', '.join(not_given)}")
    return lines


def _tariff_answer(question: str, query: TariffRequest, results: list[TariffResult]) -> Answer:
    clauses = tuple(c for r in results for c in r.clauses)
    citations = citations_for(clauses)
    ref = refs(citations)
    lines: list[str] = []
    if len(results) > 1:
        lines.append(
            "Målgruppen er ikke angivet, så taksten er beregnet for både børn og unge (98 %) og voksne (100 %):"
        )
    lines += [r.summary_da() for r in results]
    lines += ["", *_understood_lines(query), "", "Budget:"]
    for line in results[0].lines:
        pct = f" ({format_pct(line.percentage)} {line.base})" if line.percentage is not None else ""
        lines.append(f"- {line.label}{pct}: {format_kr(line.amount)} {ref_list(ref, line.clauses)}".rstrip())
    lines.append(f"- I alt til finansiering: {format_kr(results[0].amount_to_finance)}")
    assumptions = list(dict.fromkeys(a for r in results for a in r.assumptions))
    notes = ([query.period_note] if query.period_note else []) + list(
        dict.fromkeys(n for r in results for n in r.notes)
    )
    lines += [f"Antagelse: {a}" for a in assumptions] + [f"Bemærk: {n}" for n in notes]
    payload = results[0].to_dict() if len(results) == 1 else {"variants": [r.to_dict() for r in results]}
    return Answer(
        question=question,
        answer="\n".join(lines),
        abstained=False,
        period=results[0].period,
        citations=citations,
        tool=NAME,
        notes=tuple(assumptions + notes),
        tool_result=payload,
    )


def _missing_answer(question: str, query: TariffRequest, missing: list[str], rules: RuleBook) -> Answer:
    period_rules = None
    try:
        period_rules = rules.for_period(query.period or rules.latest)
    except CalculatorInputError:
        pass
    clauses: tuple[Clause, ...] = ()
    if period_rules is not None:
        for key in (
            "admin_max_pct",
            "tjm_pension_pct",
            "interest_rate_pct",
            "occupancy_boern_unge_pct",
            "occupancy_voksne_pct",
        ):
            clauses += period_rules.rule(key).clauses
    lines = [
        "Jeg kan beregne taksten, men mangler: " + "; ".join(missing) + ".",
        "",
        *_understood_lines(query),
        "",
        "Skriv fx: »Hvad bliver døgntaksten for voksne med 12 pladser og 9,5 mio. kr. i driftsudgifter?«",
    ]
    return Answer(
        question=question,
        answer="\n".join(lines),
        abstained=False,
        period=query.period,
        citations=citations_for(clauses),
        tool=NAME,
        notes=("mangler input",),
        tool_result={
            "missing": missing,
            "understood": dict(query.values),
            "target_group": query.target_group,
        },
    )


def text(result: TariffResult) -> list[str]:
    lines = [result.summary_da(), "", "Budget:"]
    for line in result.lines:
        pct = f" ({line.percentage:g} % {line.base})".replace(".", ",") if line.percentage is not None else ""
        lines.append(f"  {line.label}{pct}: {format_kr(line.amount)}")
    lines.append(f"  I alt til finansiering: {format_kr(result.amount_to_finance)}")
    return lines + [f"Antagelse: {a}" for a in result.assumptions] + [f"Bemærk: {n}" for n in result.notes]


CALCULATOR = Calculator(
    name=NAME,
    summary="Takstberegning: budget med procentsatser og klausuler, årstakst pr. plads og døgntakst.",
    shown_as="Takstberegneren",
    inputs=TariffInput,
    compute=compute_tariff,
    text=text,
    read=read,
    answer=answer,
)
