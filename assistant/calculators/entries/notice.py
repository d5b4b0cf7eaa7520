"""The notice calculator's registration: the last paid day after notice or death."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from assistant.calculators.entries.common import error_answer, ref_list, refs
from assistant.calculators.notice import PLACE_TYPE_LABELS, NoticeResult, PlaceType, compute_notice
from assistant.calculators.registry import Calculator, Intent, described
from assistant.calculators.rules import CalculatorInputError, RuleBook, citations_for
from core.dates import current_period, format_date_da
from core.parsing import DateMention, find_dates
from core.records import Answer

NAME = "notice"

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


@dataclass(frozen=True)
class NoticeInput:
    notice_date: date = field(
        metadata=described(
            "Dato for opsigelsen eller dødsfaldet (ÅÅÅÅ-MM-DD; på kommandolinjen også fx '15. marts 2024').",
            label="Dato for opsigelse eller dødsfald",
            cli="date",
        )
    )
    period: str | None = field(
        default=None,
        metadata=described(
            "Aftaleperiode, fx 2023-24; udelades, udledes den af datoen.",
            label="Aftaleperiode",
            kind="period",
            unset="Ud fra datoen",
        ),
    )
    death: bool = field(
        default=False, metadata=described("Datoen er en dødsdato.", label="Datoen er en dødsdato")
    )
    place_type: PlaceType = field(
        default="ordinary",
        metadata=described(
            "Pladstype: 'objective40' for objektivt finansierede pladser (§ 40), ellers 'ordinary'.",
            label="Pladstype",
            choices=PLACE_TYPE_LABELS,
        ),
    )


@dataclass(frozen=True)
class NoticeRequest:
    """A chat question's inputs: the first date named, and what ended the stay."""

    date: DateMention
    death: bool
    place_type: PlaceType


def compute(rules: RuleBook, given: NoticeInput) -> NoticeResult:
    return compute_notice(
        rules, given.notice_date, period=given.period, death=given.death, place_type=given.place_type
    )


def read(question: str, means_notice: Intent | None) -> NoticeRequest | None:
    """A date, and the notice words or (by meaning) a question for the last paid day."""
    dates = find_dates(question)
    if not dates or not (_NOTICE_WORDS.search(question) or (means_notice is not None and means_notice())):
        return None
    place_type: PlaceType = "objective40" if _OBJECTIVE40.search(question) else "ordinary"
    return NoticeRequest(dates[0], bool(_DEATH_WORDS.search(question)), place_type)


def answer(
    question: str, request: NoticeRequest, rules: RuleBook, period: str | None, named: str | None
) -> Answer:
    mention = request.date
    try:
        if mention.value is None:
            raise CalculatorInputError(f"Datoen »{mention.raw}« findes ikke i kalenderen. Tjek dag og måned.")
        result = compute(rules, NoticeInput(mention.value, period, request.death, request.place_type))
    except CalculatorInputError as exc:
        return error_answer(question, NAME, str(exc), period)
    if mention.year_assumed:
        assumed = (
            f"Datoen »{mention.raw}« står uden år; jeg har regnet med {format_date_da(mention.value)} "
            f"i den nuværende aftaleperiode ({current_period(date.today(), rules.calendar)}). Skriv året, "
            f"hvis det er et andet."
        )
        result = replace(result, notes=(assumed, *result.notes))
    return _answer(question, mention.raw, result)


def _answer(question: str, raw_date: str, result: NoticeResult) -> Answer:
    citations = citations_for(result.clauses)
    ref = refs(citations)
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
        lines.append(f"Betingelse: {result.conditions[0]} {ref_list(ref, result.clauses[1:2])}")
    lines += [f"Bemærk: {note}" for note in result.notes]
    return Answer(
        question=question,
        answer="\n".join(lines).strip(),
        abstained=False,
        period=result.period,
        citations=citations,
        tool=NAME,
        notes=result.notes,
        tool_result=result.to_dict(),
    )


def text(result: NoticeResult) -> list[str]:
    lines = [result.summary_da(), f"Regel: {result.rule}"]
    return lines + [f"Betingelse: {c}" for c in result.conditions] + [f"Bemærk: {n}" for n in result.notes]


CALCULATOR = Calculator(
    name=NAME,
    summary="Sidste betalingsdag efter opsigelse eller dødsfald (fx løbende måned plus én måned).",
    shown_as="beregneren Opsigelsesvarsel",
    inputs=NoticeInput,
    compute=compute,
    text=text,
    read=read,
    answer=answer,
)
