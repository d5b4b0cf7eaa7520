"""Notice-period calculator: the last day a paying municipality pays for a place after notice.

Styringsaftale 2017 § 13.4: "løbende måned plus én måned", also at death; not for objectively
financed places (§ 40). Later periods inherit the rule (see rules.yaml), which the result says.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Literal

from assistant.calculators.rules import (
    BASIS_TEXT,
    Basis,
    CalculatorInputError,
    Clause,
    PeriodRules,
    RuleBook,
    citations_for,
)
from core.dates import format_date_da

NOTICE_RULES = ("notice_months_after_notice_month", "notice_payment_condition", "notice_excluded_objective40")

PlaceType = Literal["ordinary", "objective40"]
PLACE_TYPES: tuple[str, ...] = ("ordinary", "objective40")
PLACE_TYPE_LABELS = {
    "ordinary": "almindelig plads",
    "objective40": "objektivt finansieret plads (magtanvendelsesbekendtgørelsens § 40)",
}


@dataclass(frozen=True)
class NoticeResult:
    """Outcome of a notice calculation with the clauses it rests on."""

    notice_date: date
    is_death: bool
    period: str
    place_type: str
    applies: bool  # False for § 40 places: the notice period does not apply
    last_paid_day: date | None
    rule: str  # the verbatim clause of the rule applied
    conditions: tuple[str, ...]
    basis: Basis
    clauses: tuple[Clause, ...]
    notes: tuple[str, ...]
    months: int = 1  # months after the month of notice (the period's rule)

    def summary_da(self) -> str:
        """One Danish sentence with the result."""
        event = "Dødsfald" if self.is_death else "Opsigelse"
        if not self.applies:
            return (
                f"{event} den {format_date_da(self.notice_date)}: opsigelsesvarslet gælder ikke for "
                f"{PLACE_TYPE_LABELS['objective40']}."
            )
        assert self.last_paid_day is not None
        return (
            f"{event} den {format_date_da(self.notice_date)}: sidste betalingsdag er "
            f"{format_date_da(self.last_paid_day)} ({notice_rule_da(self.months)}, aftaleperiode {self.period})."
        )

    def to_dict(self) -> dict:
        return {
            "notice_date": self.notice_date.isoformat(),
            "is_death": self.is_death,
            "period": self.period,
            "place_type": self.place_type,
            "applies": self.applies,
            "last_paid_day": self.last_paid_day.isoformat() if self.last_paid_day else None,
            "rule": self.rule,
            "conditions": list(self.conditions),
            "basis": self.basis,
            "basis_text": BASIS_TEXT[self.basis],
            "summary": self.summary_da(),
            "citations": [c.to_dict() for c in citations_for(self.clauses)],
            "notes": list(self.notes),
        }


_MONTH_WORDS = (
    "ingen måneder",
    "én måned",
    "to måneder",
    "tre måneder",
    "fire måneder",
    "fem måneder",
    "seks måneder",
)


def notice_rule_da(months: int) -> str:
    """The rule in the agreements' own words: 'løbende måned plus én måned'."""
    return f"løbende måned plus {_MONTH_WORDS[months] if 0 <= months < len(_MONTH_WORDS) else f'{months} måneder'}"


def end_of_month_after(value: date, months: int) -> date:
    """Last day of the month ``months`` after the month of ``value`` (months=0: its own month)."""
    index = value.year * 12 + (value.month - 1) + months
    year, month = divmod(index, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def compute_notice(
    rules: RuleBook,
    notice_date: date,
    *,
    period: str | None = None,
    death: bool = False,
    place_type: str = "ordinary",
) -> NoticeResult:
    """Last day of payment after notice (or death) given on ``notice_date``."""
    if not isinstance(notice_date, date):
        raise CalculatorInputError("Datoen er ugyldig. Skriv den fx som 15. marts 2024 eller 2024-03-15.")
    if place_type not in PLACE_TYPES:
        raise CalculatorInputError(f"Ukendt pladstype {place_type!r}. Gyldige: {', '.join(PLACE_TYPES)}.")
    period_rules, notes = _resolve_period(rules, notice_date, period)
    months_rule = period_rules.rule("notice_months_after_notice_month")
    condition_rule = period_rules.rule("notice_payment_condition")
    basis_note = months_rule.basis_text(period_rules.period)
    notes = notes + ((basis_note,) if basis_note else ())
    unconfirmed = period_rules.unconfirmed_note(NOTICE_RULES)
    notes = notes + ((unconfirmed,) if unconfirmed else ())
    if place_type == "objective40":
        excluded = period_rules.rule("notice_excluded_objective40")
        return NoticeResult(
            notice_date,
            death,
            period_rules.period,
            place_type,
            False,
            None,
            rule=excluded.clauses[0].quote,
            conditions=(str(excluded.value),),
            basis=excluded.basis,
            clauses=excluded.all_clauses,
            notes=notes,
        )
    months = int(float(months_rule.value or 1))
    last_day = end_of_month_after(notice_date, months)
    if death:
        notes = notes + ("Dødsfald sidestilles med en opsigelse; varslet regnes fra dødsdagen.",)
    return NoticeResult(
        notice_date,
        death,
        period_rules.period,
        place_type,
        True,
        last_day,
        rule=months_rule.clauses[0].quote,
        conditions=(str(condition_rule.value),),
        basis=months_rule.basis,
        clauses=months_rule.clauses + condition_rule.clauses + months_rule.continuation,
        notes=notes,
        months=months,
    )


def _resolve_period(
    rules: RuleBook, notice_date: date, period: str | None
) -> tuple[PeriodRules, tuple[str, ...]]:
    """The period to apply, and a note when an explicit period does not contain the date."""
    derived = rules.calendar.for_year(notice_date.year)
    if period is None:
        if derived is None:
            raise CalculatorInputError(
                f"Året {notice_date.year} hører ikke til en aftaleperiode, som dokumenterne dækker "
                f"({', '.join(rules.calendar)}). Angiv perioden eksplicit."
            )
        return rules.for_period(derived), ()
    chosen = rules.for_period(period)
    if derived != chosen.period:
        where = f"aftaleperiode {derived}" if derived else "ingen aftaleperiode, som dokumenterne dækker"
        return chosen, (f"Datoen hører til {where}, men der er regnet efter {chosen.period}.",)
    return chosen, ()
