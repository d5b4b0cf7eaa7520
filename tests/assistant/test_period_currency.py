"""A quote from an earlier period says how it reaches the period asked about (the real rules file)."""

from __future__ import annotations

import pytest

from assistant.answering.period_currency import currency_of
from assistant.calculators.rules import load_rules
from core.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def rules():
    return load_rules(PROJECT_ROOT / "corpus" / "rules.yaml")


def test_a_quote_from_the_period_asked_about_needs_no_note(rules) -> None:
    assert currency_of(rules, "2023-24", "2023-24") is None
    assert currency_of(rules, "2025-26", "2023-24") is None  # a later period's quote is another note's job
    assert currency_of(rules, None, "2023-24") is None


def test_rules_carried_forward_by_a_clause_cite_it(rules) -> None:
    currency = currency_of(rules, "2017", "2023-24")
    assert currency.note.startswith("Citatet er fra aftaleperiode 2017, ikke fra 2023-24.")
    assert "videreført til 2023-24" in currency.note
    assert [c.period for c in currency.clauses] == ["2021-22", "2023-24"]
    assert all("videreførelse" in c.quote for c in currency.clauses)


def test_an_unconfirmed_carry_says_so_and_names_the_last_confirmed_period(rules) -> None:
    currency = currency_of(rules, "2017", "2025-26")
    assert "ikke bekræftet" in currency.note and "senest bekræftet videreført i 2023-24" in currency.note
    assert currency.clauses[-1].period == "2023-24"
    no_clause = currency_of(rules, "2017", "2019-20")
    assert "ikke bekræftet" in no_clause.note and no_clause.clauses == ()
