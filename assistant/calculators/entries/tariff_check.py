"""The tariff-agreement check's registration: does a tariff development keep the takstaftaler?"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.calculators.entries.common import (
    CHECK_WORDS,
    TARIFF_WORDS,
    error_answer,
    ref_list,
    refs,
    segments,
)
from assistant.calculators.registry import Calculator, Intent, described
from assistant.calculators.rules import CalculatorInputError, RuleBook, citations_for
from assistant.calculators.tariff import format_kr
from assistant.calculators.tariff_check import TariffCheckResult, check_tariffs
from core.parsing import find_amounts, looks_like_year
from core.periods import PeriodCalendar, UnknownPeriodError
from core.records import Answer

NAME = "check_tariffs"

_YEAR = re.compile(r"(?<![\d.,])(19[9]\d|20\d\d)(?![\d.,]\d)")


@dataclass(frozen=True)
class CheckInput:
    tariffs: dict[int, float] = field(
        metadata=described("Takst pr. år, fx {2023: 1000.0, 2024: 1000.0}.", cli="tariffs", kind="takst")
    )
    price_index: dict[int, float] | None = field(
        default=None,
        metadata=described(
            "Pris- og lønindeks pr. år til omregning til faste priser (ellers antages faste priser).",
            cli="--index",
            kind="indeks",
        ),
    )


def compute(rules: RuleBook, given: CheckInput) -> TariffCheckResult:
    return check_tariffs(rules, given.tariffs, given.price_index)


def read(question: str, means_notice: Intent | None) -> dict[int, float] | None:
    """Tariffs for two or more years: a development to check, not a budget to compute."""
    if not (CHECK_WORDS.search(question) or TARIFF_WORDS.search(question)):
        return None
    pairs = year_tariff_pairs(question)
    return pairs if len(pairs) >= 2 else None


def year_tariff_pairs(question: str) -> dict[int, float]:
    """{year: tariff} from clauses such as '1.000 kr. i 2023', '2024: 1.050 kr.' or 'fra X i 2021 til Y i 2022'.

    Within a clause, years and amounts are paired in order when their counts agree.
    """
    pairs: dict[int, float] = {}
    for segment in segments(question):
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


def answer(
    question: str, pairs: dict[int, float], rules: RuleBook, period: str | None, named: str | None
) -> Answer:
    try:
        result = compute(rules, CheckInput(pairs))
    except CalculatorInputError as exc:
        return error_answer(question, NAME, str(exc), None)
    return _answer(question, result, rules.calendar)


def _answer(question: str, result: TariffCheckResult, calendar: PeriodCalendar) -> Answer:
    citations = citations_for(result.clauses)
    ref = refs(citations)
    lines = [result.summary_da(), "", "Sådan har jeg forstået spørgsmålet:"]
    lines += [f"- {year}: {format_kr(value)}" for year, value in result.tariffs.items()]
    for check in result.checks:
        lines += [
            "",
            f"Takstaftale {check.agreement_id}: {check.verdict_da()} {ref_list(ref, check.clauses)}",
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
        tool=NAME,
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


def text(result: TariffCheckResult) -> list[str]:
    lines = [result.summary_da()]
    for check in result.checks:
        lines.append(f"Takstaftale {check.agreement_id} ({check.verdict_da()}):")
        lines += [f"  - {r}" for r in check.reasons] + [f"  Bemærk: {n}" for n in check.notes]
    return lines + [f"Bemærk: {n}" for n in result.notes]


CALCULATOR = Calculator(
    name=NAME,
    summary="Tjek om et tilbuds takster pr. år overholder takstaftalerne (i faste priser).",
    shown_as="Takstaftaletjekket",
    inputs=CheckInput,
    compute=compute,
    text=text,
    read=read,
    answer=answer,
)
