"""Route chat questions to the calculators when – and only when – they carry the inputs to compute.

"Hvad er opsigelsesvarslet?" has no date and goes to retrieval; "Borgeren blev opsagt den 15. marts
2024 – hvornår stopper betalingen?" runs the notice calculator. The answer shows the result, the
inputs as understood and the clauses; the LLM never does this arithmetic.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from assistant.calculators.notice import PLACE_TYPE_LABELS, NoticeResult, compute_notice
from assistant.calculators.rules import CalculatorInputError, Clause, RuleBook, citations_for, load_rules
from assistant.calculators.tariff import (
    TARGET_GROUPS,
    TariffInput,
    TariffResult,
    compute_tariff,
    format_kr,
    format_pct,
)
from assistant.calculators.tariff_check import TariffCheckResult, check_tariffs
from assistant.parsing import AmountMention, find_amounts, find_dates, looks_like_year
from core.dates import current_period, format_date_da
from core.periods import PeriodCalendar, UnknownPeriodError
from core.records import Answer, Citation

Intent = Callable[[], bool]

_NOTICE_WORDS = re.compile(
    r"opsig|opsagt|udskriv|\bdød|\bdøde\b|\bdør\b|dødsfald|afgik ved døden|sidste betalingsdag|betalingen stop"
    r"|stopper betalingen|ophører betalingen|betale til og med"
    r"|\bnotice\b|terminat|\bdied\b|passed away|\bdeath\b|last (?:paid )?day|payment stop|do we pay",
    re.IGNORECASE,
)
_DEATH_WORDS = re.compile(
    r"\bdød|\bdøde\b|\bdør\b|dødsfald|afgik ved døden|\bdied\b|passed away|\bdeath\b|deceased", re.IGNORECASE
)
_OBJECTIVE40 = re.compile(r"§\s*40|objektivt finansier", re.IGNORECASE)
_CHECK_WORDS = re.compile(
    r"takstaftale|overhold|lever\w* op til|må taksten stige|stiger taksten|tariff agreement|complian",
    re.IGNORECASE,
)
_TARIFF_WORDS = re.compile(r"takst|tarif", re.IGNORECASE)
# Split clauses on commas except inside numbers ("9,5 mio.", "850,000 DKK").
_SEGMENT_SPLIT = re.compile(r",(?!\d)|(?<!\d),|;|\?|\s+og\s+|\s+samt\s+|\s+and\s+|\s+[—–-]\s+", re.IGNORECASE)
_PERIOD_RANGE = re.compile(r"(?<!\d)(?:19|20)\d\d\s*[-–/]\s*(?:(?:19|20)\d\d|\d\d)(?!\d)")
_YEAR = re.compile(r"(?<![\d.,])(19[9]\d|20\d\d)(?![\d.,]\d)")

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


@functools.lru_cache(maxsize=1)
def _default_rules() -> RuleBook:
    return load_rules()


def answer_with_calculator(
    question: str,
    period: str | None = None,
    rules: RuleBook | None = None,
    means_notice: Intent | None = None,
) -> Answer | None:
    """A calculator answer for a calculator question, or None so the caller can use retrieval.
    ``means_notice`` tells, by meaning, whether a question without the notice keywords asks for the
    last paid day (assistant/intent.py); it is only consulted when the question carries a date."""
    if not isinstance(question, str) or not question.strip():
        return None
    kind = classify(question, means_notice)
    if kind is None:
        return None
    book = rules if rules is not None else _default_rules()
    if kind == "notice":
        return _answer_notice(question, period, book)
    if kind == "check_tariffs":
        return _answer_check(question, book)
    return _answer_tariff(question, period, book)


def classify(question: str, means_notice: Intent | None = None) -> str | None:
    """'notice', 'check_tariffs', 'tariff' or None – conservative: inputs must be present."""
    if find_dates(question) and (
        _NOTICE_WORDS.search(question) or (means_notice is not None and means_notice())
    ):
        return "notice"
    # Tariffs for two or more years are a development to check, not a budget to compute.
    if (_CHECK_WORDS.search(question) or _TARIFF_WORDS.search(question)) and len(
        year_tariff_pairs(question)
    ) >= 2:
        return "check_tariffs"
    if _TARIFF_WORDS.search(question) and not _CHECK_WORDS.search(question):
        amounts = [
            a for a in find_amounts(question) if not looks_like_year(a) and a.unit in ("kr", "pladser")
        ]
        if amounts:
            return "tariff"
    return None


# --- notice ----------------------------------------------------------------------------------------


def _answer_notice(question: str, period: str | None, rules: RuleBook) -> Answer:
    mention = find_dates(question)[0]
    death = bool(_DEATH_WORDS.search(question))
    place_type = "objective40" if _OBJECTIVE40.search(question) else "ordinary"
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


@dataclass
class _TariffQuery:
    values: dict[str, float] = field(default_factory=dict)
    target_group: str | None = None
    period: str | None = None
    period_note: str = ""


def _answer_tariff(question: str, period: str | None, rules: RuleBook) -> Answer:
    query = parse_tariff_question(question, rules, period)
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


def parse_tariff_question(question: str, rules: RuleBook, period: str | None = None) -> _TariffQuery:
    """Inputs of a tariff question, each amount assigned by the keyword in its clause."""
    query = _TariffQuery()
    for segment in _SEGMENT_SPLIT.split(_PERIOD_RANGE.sub(" ", question)):
        if segment:
            _read_segment(segment, query)
    query.target_group = next((g for g, p in _TARGET_GROUP_WORDS if p.search(question)), None)
    query.period, query.period_note = _tariff_period(question, period, rules)
    return query


def _read_segment(segment: str, query: _TariffQuery) -> None:
    for amount in find_amounts(segment):
        if looks_like_year(amount):
            continue
        if amount.unit == "pladser":
            query.values.setdefault("places", amount.value)
        elif amount.unit == "pct":
            key = next((k for k, p in _PCT_FIELDS if p.search(segment)), None)
            if key:
                query.values.setdefault(key, amount.value)
        else:
            _assign_amount(segment, amount, query)


def _assign_amount(segment: str, amount: AmountMention, query: _TariffQuery) -> None:
    if amount.unit is None and amount.value < 100:
        return  # a bare small number ("24") is no amount of money
    key = next((k for k, p in _AMOUNT_FIELDS if p.search(segment)), None)
    if key in ("deficit", "surplus"):
        query.values.setdefault("prior_result", -amount.value if key == "deficit" else amount.value)
    elif key is not None:
        query.values.setdefault(key, amount.value)


def _tariff_period(question: str, period: str | None, rules: RuleBook) -> tuple[str | None, str]:
    if period:
        try:
            return rules.calendar.normalize(period), ""
        except UnknownPeriodError:
            return period, ""
    found = rules.calendar.detect(question)
    if found:
        return found, ""
    latest = rules.latest
    return latest, f"Ingen aftaleperiode nævnt – der er regnet efter den seneste, {latest}."


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


def year_tariff_pairs(question: str) -> dict[int, float]:
    """{year: tariff} from clauses such as '1.000 kr. i 2023', '2024: 1.050 kr.' or 'fra X i 2021 til Y i 2022'.

    Within a clause, years and amounts are paired in order when their counts agree.
    """
    pairs: dict[int, float] = {}
    for segment in _SEGMENT_SPLIT.split(_PERIOD_RANGE.sub(" ", question)):
        if not segment:
            continue
        years = [int(m.group(1)) for m in _YEAR.finditer(segment)]
        amounts = [
            a
            for a in find_amounts(segment)
            if not looks_like_year(a) and (a.unit == "kr" or (a.unit is None and a.value >= 100))
        ]
        if years and len(years) == len(amounts):
            for year, amount in zip(years, amounts):
                pairs.setdefault(year, amount.value)
    return pairs


def _answer_check(question: str, rules: RuleBook) -> Answer:
    pairs = year_tariff_pairs(question)
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
