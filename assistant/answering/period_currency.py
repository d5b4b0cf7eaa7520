"""Whether a quote from an earlier agreement period still holds in the period asked about.

A chat answer often quotes the 2017 styringsaftale, because later periods carry its rules forward
instead of restating them. A caseworker must see that: the answer says which period the quote is
from and how the rules reached the period in question — carried forward by a clause of that
period's documents (cited), or assumed carried forward without a clause saying so. The chain of
periods is the rules file's (``corpus/rules.yaml``), the same the calculators cite, so chat and
calculators never disagree about it.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.calculators.rules import Clause, Rule, RuleBook


@dataclass(frozen=True)
class Currency:
    """How quotes from ``origin`` apply in ``period``: a note for the answer and the clauses that
    carry the rules forward (to cite)."""

    origin: str
    period: str
    note: str
    clauses: tuple[Clause, ...] = ()


def currency_of(rules: RuleBook, origin: str | None, period: str) -> Currency | None:
    """The note for an answer about ``period`` whose quote (the first, which is the answer) comes
    from the earlier period ``origin``; None when it is from ``period`` itself, later, or undated."""
    if origin is None or not rules.calendar.is_earlier(origin, period):
        return None
    lead = f"Citatet er fra aftaleperiode {origin}, ikke fra {period}."
    carried = _carried_rule(rules, origin, period)
    if carried is None:
        return Currency(
            origin,
            period,
            f"{lead} Dokumenterne for {period} har deres egne regler; tjek, om passagen stadig gælder.",
        )
    clauses = carried.continuation
    if carried.basis == "carried_forward":
        return Currency(
            origin, period, f"{lead} Styringsaftalens regler er videreført til {period}:", clauses
        )
    confirmed = f" De er senest bekræftet videreført i {clauses[-1].period}:" if clauses else ""
    note = (
        f"{lead} Det er ikke bekræftet, at styringsaftalens regler stadig gælder i {period}. "
        f"{carried.note}{confirmed}"
    )
    return Currency(origin, period, note.strip(), clauses)


def _carried_rule(rules: RuleBook, origin: str, period: str) -> Rule | None:
    """A rule of ``period`` that comes from ``origin``: its basis and continuation clauses say how
    the styringsaftale of ``origin`` reached ``period``. None when nothing from ``origin`` reaches it."""
    period_rules = rules.periods.get(period)
    if period_rules is None:
        return None
    return next(
        (
            rule
            for rule in period_rules.rules.values()
            if rule.origin_period == origin and rule.basis != "own"
        ),
        None,
    )
