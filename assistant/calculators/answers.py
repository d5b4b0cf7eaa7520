"""A calculator's answer to a chat question that asks for a calculation (read in
assistant/understanding/calculation.py): "Borgeren blev opsagt den 15. marts 2024 – hvornår stopper
betalingen?" runs the notice calculator. The answer shows the result, the inputs as understood and
the clauses; the LLM never does this arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from assistant.calculators.notice import PLACE_TYPE_LABELS, NoticeResult, compute_notice
from assistant.calculators.rules import CalculatorInputError, Clause, RuleBook, citations_for
from assistant.calculators.tariff import (
    TARGET_GROUPS,
    TariffInput,
    TariffResult,
    compute_tariff,
    format_kr,
    format_pct,
)
from assistant.calculators.tariff_check import TariffCheckResult, check_tariffs
from assistant.understanding.calculation import Calculation, CheckRequest, NoticeRequest, TariffRequest
from core.dates import current_period, format_date_da
from core.periods import PeriodCalendar, UnknownPeriodError
from core.records import Answer, Citation

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


def answer_calculation(
    question: str,
    calculation: Calculation,
    rules: RuleBook,
    period: str | None = None,
    named_period: str | None = None,
) -> Answer:
    """The calculator's answer. ``period``: the one the caseworker chose; ``named_period``: the one
    the question names (a tariff is computed for it, else for the latest period with rules)."""
    if isinstance(calculation, NoticeRequest):
        return _answer_notice(question, calculation, period, rules)
    if isinstance(calculation, CheckRequest):
        return _answer_check(question, calculation.tariffs, rules)
    return _answer_tariff(question, _tariff_query(calculation, period, named_period, rules), rules)


def _answer_notice(question: str, request: NoticeRequest, period: str | None, rules: RuleBook) -> Answer:
    mention, death, place_type = request.date, request.death, request.place_type
    try:
        if mention.value is None:
            raise CalculatorInputError(f"Datoen »{mention.raw}« findes ikke i kalenderen. Tjek dag og måned.")
        result = compute_notice(rules, mention.value, period=period, death=death, place_type=place_type)
    except CalculatorInputError as exc:
        return _error_answer(question, "notice", str(exc), period)
    if mention.year_assumed:
        assumed = (
            f"Datoen »{mention.raw}« står uden år; jeg har regnet med {format_date_da(mention.value)} "
            f"i den nuværende aftaleperiode ({current_period(date.today(), rules.calendar)}). Skriv året, "
            f"hvis det er et andet."
        )
        result = replace(result, notes=(assumed, *result.notes))
    return _notice_answer(question, mention.raw, result)


def _notice_answer(question: str, raw_date: str, result: NoticeResult) -> Answer:
    citations = citations_for(result.clauses)
    ref = _refs(citations)
    event = "dødsfald" if result.is_death else "opsigelse"
    lines = [
        result.summary_da(),
        "",
        "Sådan har jeg forstået spørgsmålet:",
        f"- Dato for {event}: {format_date_da(result.notice_date)} (skrevet »{raw_date}«)",
        f"- Pladstype: {PLACE_TYPE_LABELS[result.place_type]}",
        f"- Aftaleperiode: {result.period}",
        "",
        f"Regel: »{result.rule}« {ref(result.clauses[0])}",
    ]
    if result.applies:
        lines.append(f"Betingelse: {result.conditions[0]} {_ref_list(ref, result.clauses[1:2])}")
    lines += [f"Bemærk: {note}" for note in result.notes]
    return Answer(
        question=question,
        answer="\n".join(lines).strip(),
        abstained=False,
        period=result.period,
        citations=citations,
        tool="notice",
        notes=result.notes,
        tool_result=result.to_dict(),
    )


# --- tariff ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TariffQuery:
    values: dict[str, float]
    target_group: str | None
    period: str | None
    period_note: str = ""


def _tariff_query(
    request: TariffRequest, period: str | None, named: str | None, rules: RuleBook
) -> _TariffQuery:
    """The request with the period it is computed for: the one chosen, else the one the question
    names, else the latest with rules (and a note saying so)."""
    if period:
        try:
            period = rules.calendar.normalize(period)
        except UnknownPeriodError:
            pass
        return _TariffQuery(request.values, request.target_group, period)
    if named:
        return _TariffQuery(request.values, request.target_group, named)
    latest = rules.latest
    note = f"Ingen aftaleperiode nævnt – der er regnet efter den seneste, {latest}."
    return _TariffQuery(request.values, request.target_group, latest, note)


def _answer_tariff(question: str, query: _TariffQuery, rules: RuleBook) -> Answer:
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
        return _error_answer(question, "tariff", str(exc), query.period)
    return _tariff_answer(question, query, results)


def _tariff_input(query: _TariffQuery, group: str) -> TariffInput:
    v = query.values
    places = v["places"]
    if places != int(places):
        raise CalculatorInputError("Antal pladser skal være et helt tal på mindst 1.")
    return TariffInput(
        direct_operating_costs=v["direct_operating_costs"],
        places=int(places),
        target_group=group,
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


def _understood_lines(query: _TariffQuery) -> list[str]:
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


def _tariff_answer(question: str, query: _TariffQuery, results: list[TariffResult]) -> Answer:
    clauses = tuple(c for r in results for c in r.clauses)
    citations = citations_for(clauses)
    ref = _refs(citations)
    lines: list[str] = []
    if len(results) > 1:
        lines.append(
            "Målgruppen er ikke angivet, så taksten er beregnet for både børn og unge (98 %) og voksne (100 %):"
        )
    lines += [r.summary_da() for r in results]
    lines += ["", *_understood_lines(query), "", "Budget:"]
    for line in results[0].lines:
        pct = f" ({format_pct(line.percentage)} {line.base})" if line.percentage is not None else ""
        lines.append(f"- {line.label}{pct}: {format_kr(line.amount)} {_ref_list(ref, line.clauses)}".rstrip())
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
        tool="tariff",
        notes=tuple(assumptions + notes),
        tool_result=payload,
    )


def _missing_answer(question: str, query: _TariffQuery, missing: list[str], rules: RuleBook) -> Answer:
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
        tool="tariff",
        notes=("mangler input",),
        tool_result={
            "missing": missing,
            "understood": dict(query.values),
            "target_group": query.target_group,
        },
    )


# --- tariff-agreement check ------------------------------------------------------------------------


def _answer_check(question: str, pairs: dict[int, float], rules: RuleBook) -> Answer:
    try:
        result = check_tariffs(rules, pairs)
    except CalculatorInputError as exc:
        return _error_answer(question, "check_tariffs", str(exc), None)
    return _check_answer(question, result, rules.calendar)


def _check_answer(question: str, result: TariffCheckResult, calendar: PeriodCalendar) -> Answer:
    citations = citations_for(result.clauses)
    ref = _refs(citations)
    lines = [result.summary_da(), "", "Sådan har jeg forstået spørgsmålet:"]
    lines += [f"- {year}: {format_kr(value)}" for year, value in result.tariffs.items()]
    for check in result.checks:
        lines += [
            "",
            f"Takstaftale {check.agreement_id}: {check.verdict_da()} {_ref_list(ref, check.clauses)}",
        ]
        lines += [f"- {reason}" for reason in check.reasons] + [f"Bemærk: {n}" for n in check.notes]
    lines += [f"Bemærk: {n}" for n in result.notes]
    periods = {p for c in result.checks for p in _periods_of(c.agreement_id, calendar)}
    return Answer(
        question=question,
        answer="\n".join(lines),
        abstained=False,
        period=next(iter(periods)) if len(periods) == 1 else None,
        citations=citations,
        tool="check_tariffs",
        notes=result.notes,
        tool_result=result.to_dict(),
    )


def _periods_of(agreement_id: str, calendar: PeriodCalendar) -> list[str]:
    first, _, last = agreement_id.partition("-")
    years = range(int(first), int(last) + 1) if first.isdigit() and last.isdigit() else []
    found: list[str] = []
    for year in years:
        try:
            name = calendar.normalize(str(year))
        except UnknownPeriodError:
            continue
        if name not in found:
            found.append(name)
    return found


# --- shared ----------------------------------------------------------------------------------------


def _error_answer(question: str, tool: str, message: str, period: str | None) -> Answer:
    return Answer(
        question=question,
        answer=f"Jeg kan ikke regne det ud: {message}",
        abstained=False,
        period=period,
        tool=tool,
        notes=("inputfejl",),
        tool_result={"error": message},
    )


def _refs(citations: tuple[Citation, ...]):
    """A function giving '[n]' for a clause, matched on document and quote."""
    index = {(c.document, c.quote): c.n for c in citations}

    def ref(clause: Clause) -> str:
        n = index.get((clause.document, clause.quote))
        return f"[{n}]" if n else ""

    return ref


def _ref_list(ref, clauses) -> str:
    return "".join(dict.fromkeys(ref(c) for c in clauses))
