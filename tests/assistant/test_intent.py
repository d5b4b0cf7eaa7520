"""Notice questions recognised by meaning, with the real model and the real routing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_an_everyday_notice_question_with_a_date_runs_the_calculator(indexed_assistant) -> None:
    answer = indexed_assistant.ask(
        "Vores borger flytter fra botilbuddet den 12. juni 2024. Hvornår slutter vores betaling?"
    )
    assert answer.tool == "notice"
    assert answer.tool_result["last_paid_day"] == "2024-07-31"


def test_a_date_without_a_year_is_read_in_the_current_period_and_the_answer_says_so(
    indexed_assistant,
) -> None:
    answer = indexed_assistant.ask(
        "Vi stopper et barns anbringelse den 10. marts, hvor længe skal vi betale?"
    )
    assert answer.tool == "notice"
    assert any("står uden år" in note for note in answer.notes)


def test_a_dated_question_about_something_else_is_not_routed(indexed_assistant) -> None:
    answer = indexed_assistant.ask("Hvad besluttede KKR Midtjylland på mødet den 19. november 2024?")
    assert answer.tool is None


def test_the_margin_separates_notice_phrasing_from_other_questions(indexed_assistant) -> None:
    intent, vector = indexed_assistant.intent, indexed_assistant.retriever.question_vector
    assert intent.means_notice(vector("Beboeren er gået bort, til hvilken dag betaler kommunen for pladsen?"))
    assert not intent.means_notice(vector("Hvem sidder i styregruppen DASSOS?"))
