"""Answers end to end through the public API (real corpus, Chroma and model)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

STYRING_2017 = "rammeaftale-2017-udviklingsstrategi-og-styringsaftale.txt"


def test_notice_period_answer_quotes_and_cites_the_styringsaftale(indexed_assistant) -> None:
    answer = indexed_assistant.ask("Hvad er opsigelsesvarslet?")
    assert not answer.abstained
    assert "løbende måned plus én måned" in answer.answer
    first = answer.citations[0]
    assert first.document == STYRING_2017 and first.title == "Styringsaftale 2017"
    assert first.section == "13.4 Opsigelsesvarsel" and first.page == 39 and first.period == "2017"
    assert "løbende måned plus én måned" in first.quote


def test_every_citation_number_in_the_answer_has_a_source(indexed_assistant) -> None:
    answer = indexed_assistant.ask("Hvordan reguleres over- og underskud i taksterne?")
    numbers = {c.n for c in answer.citations}
    for n in numbers:
        assert f"[{n}]" in answer.answer
    for citation in answer.citations:
        assert citation.quote[:40] in answer.answer  # each cited passage is quoted in the answer


@pytest.mark.parametrize(
    "question",
    ["Hvor kan jeg parkere ved sekretariatet i Viborg?", "Hvad er reglerne for kørselsgodtgørelse til medarbejdere?"],
)
def test_uncovered_questions_abstain_with_nearest_passages(indexed_assistant, question: str) -> None:
    answer = indexed_assistant.ask(question)
    assert answer.abstained
    assert "dækker ikke" in answer.answer


def test_period_in_question_filters_and_is_reported(indexed_assistant) -> None:
    answer = indexed_assistant.ask("Må taksterne stige i 2024?")
    assert answer.period == "2023-24"
    assert answer.citations and answer.citations[0].document == "rammeaftale-2023-24.txt"
    assert "ikke stige" in answer.answer


def test_empty_question_gets_guidance_not_an_error(indexed_assistant) -> None:
    answer = indexed_assistant.ask("   ")
    assert answer.abstained and "Skriv et spørgsmål" in answer.answer


def test_cross_period_question_is_answered_side_by_side(indexed_assistant) -> None:
    answer = indexed_assistant.ask("hvad ændrede sig i takstaftalen fra 2019-22 til 2023-24?")
    assert not answer.abstained
    assert "2021-22:" in answer.answer and "2023-24:" in answer.answer
    assert {c.period for c in answer.citations} >= {"2021-22", "2023-24"}
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))


def test_synonyms_and_english_reach_the_notice_clause(indexed_assistant) -> None:
    for question in ("Hvad er varslet ved opsigelse af en plads?", "What is the notice period when a resident dies?"):
        answer = indexed_assistant.ask(question)
        assert not answer.abstained, question
        assert any("13.4" in c.section for c in answer.citations), question
