"""The guardrails as pure functions: citations, missing citations, numbers and their notations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.answering.llm.guardrails import (
    check_answer,
    citation_problems,
    cited_numbers,
    number_values,
    unverified_numbers,
)


def test_cited_numbers_in_first_use_order_with_lists() -> None:
    assert cited_numbers("A [2]. B [1, 3]. C [2][4].") == (2, 1, 3, 4)


def test_citation_to_a_passage_not_given_is_a_problem() -> None:
    assert citation_problems("Svar [1] og [7].", {1, 2}) == [
        "svaret henviser til [7], som ikke er en af de givne kilder"
    ]


def test_missing_citations_are_a_problem_only_when_sources_were_given() -> None:
    assert citation_problems("Et svar uden henvisninger.", {1}) == ["svaret mangler kildehenvisninger"]
    assert citation_problems("Et svar uden henvisninger.", set()) == []


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("1.500.000", "1500000"),
        ("1.234.567,89", "1234567.89"),
        ("9,5", "9.5"),
        ("850,000", "850000"),
        ("2024", "2024"),
    ],
)
def test_number_values_read_danish_and_english_notation(token: str, value: str) -> None:
    assert Decimal(value).normalize() in number_values(token)


def test_numbers_are_compared_by_value_across_notations_and_words() -> None:
    evidence = [
        "Opsagt 15. marts 2024; budget 9,5 mio. kr.",
        '{"last_paid_day": "2024-04-30", "tariff": 1500000.0}',
    ]
    answer = (
        "Sidste betalingsdag er 30.04.2024 [1]; taksten er 1.500.000 kr. og budgettet 9.500.000 kr. fra 15/3."
    )
    assert unverified_numbers(answer, evidence) == []


def test_citation_markers_are_not_numbers_but_invented_numbers_are() -> None:
    assert unverified_numbers("Varslet er 3 måneder [12].", ["løbende måned plus én måned"]) == ["3"]


def test_check_answer_collects_every_reason() -> None:
    verdict = check_answer("Det koster 42 kr. [5].", {1, 2}, ["Takst 40 kr."])
    assert not verdict.ok
    assert len(verdict.reasons) == 2 and verdict.cited == (5,)


def test_empty_answer_is_invalid() -> None:
    assert check_answer("  ", {1}, []).reasons == ("svaret er tomt",)


def test_valid_answer_passes() -> None:
    verdict = check_answer("Varslet er løbende måned plus én måned [1].", {1}, ["..."])
    assert verdict.ok and verdict.cited == (1,)
