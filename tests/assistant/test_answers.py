"""Answers end to end through the public API (real corpus, Chroma and model)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from assistant.answering.picking import RulePicker
from assistant.api import Assistant

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
    """Every number a reader sees (in the answer or in its notes, which the chat and the CLI show
    with it, e.g. the clauses that carry a 2017 rule forward) is a citation, every citation is
    referred to, and a citation the answer refers to is quoted in it."""
    answer = indexed_assistant.ask("Hvordan reguleres over- og underskud i taksterne?")
    shown = "\n".join([answer.answer, *answer.notes])
    assert {int(n) for n in re.findall(r"\[(\d+)\]", shown)} == {c.n for c in answer.citations}
    quoted = [c for c in answer.citations if f"[{c.n}]" in answer.answer]
    assert quoted
    for citation in quoted:
        assert citation.quote[:40] in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Hvor kan jeg parkere ved sekretariatet i Viborg?",
        "Hvad er reglerne for kørselsgodtgørelse til medarbejdere?",
    ],
)
def test_uncovered_questions_get_no_sure_answer_and_see_the_nearest_passages(
    indexed_assistant, question: str
) -> None:
    answer = indexed_assistant.ask(question)
    assert answer.confidence in ("usikker", "dækker ikke") and answer.abstained == (
        answer.confidence == "dækker ikke"
    )
    assert "dækker ikke" in answer.answer or answer.answer.startswith("Jeg er ikke sikker")
    assert answer.citations


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
    for question in (
        "Hvad er varslet ved opsigelse af en plads?",
        "What is the notice period when a resident dies?",
    ):
        answer = indexed_assistant.ask(question)
        assert not answer.abstained, question
        assert any("13.4" in c.section for c in answer.citations), question


def test_a_date_question_quotes_the_sentence_with_the_date(indexed_assistant) -> None:
    answer = indexed_assistant.ask(
        "Hvornår trådte den nye finansiering af sundhedslovsydelser på botilbud i kraft?"
    )
    assert not answer.abstained and "1. juli 2022" in answer.answer


def test_a_numbered_list_is_quoted_whole_across_explaining_paragraphs(indexed_assistant) -> None:
    answer = indexed_assistant.ask("Hvilke fokusområder har rammeaftalen for 2017?")
    assert "1. Kommunikationsområdet" in answer.answer
    assert "2. Voksenhandicapområdet" in answer.answer and "3. Fælles metodeudvikling" in answer.answer


@pytest.mark.parametrize(
    ("question", "note"),
    [
        ("Hvad står der i rammeaftalen for 2027-28?", "ikke 2027-28"),
        ("Do invoices between municipalities for placements include VAT?", "nævner ikke »VAT«"),
        (
            "Hvem er formand for KKR Midtjylland i 2025?",
            "hvem der havde posten",
        ),  # the 2020 chair is no answer
        ("How many autism places will Region Midtjylland have in 2025?", "angiver ikke et antal"),
    ],
)
def test_questions_beyond_the_documents_get_no_sure_answer_and_say_why(
    indexed_assistant, question: str, note: str
) -> None:
    answer = indexed_assistant.ask(question)
    assert answer.confidence != "sikker"
    assert any(note in n for n in answer.notes), answer.notes


def test_a_sure_answer_to_a_yes_no_question_opens_with_the_ruling(
    indexed_settings, indexed_assistant
) -> None:
    sure = Assistant(indexed_settings, indexed_assistant.retriever, picker=ScriptedPicker("sikker"))
    assert sure.ask("Må taksterne stige i 2024?").answer.startswith("Nej.\n\nIfølge")
    hedged = Assistant(indexed_settings, indexed_assistant.retriever, picker=ScriptedPicker("usikker"))
    assert hedged.ask("Må taksterne stige i 2024?").answer.startswith(
        "Jeg er ikke sikker"
    )  # no verdict under a hedge


class ScriptedPicker:
    """The rule picker's quotes with a confidence set by the test: the API's three outcomes."""

    name = "scripted"

    def __init__(self, confidence: str):
        self.confidence = confidence

    def pick(self, given):
        return replace(RulePicker().pick(given), confidence=self.confidence, probability=0.5)


class PerPeriodPicker:
    """The rule picker's quotes, with a confidence per period for a scope of one period's passages."""

    name = "per-period"

    def __init__(self, by_period: dict[str, str]):
        self.by_period = by_period

    def pick(self, given):
        periods = {hit.chunk.period for hit in given.candidates.hits}
        confidence = self.by_period.get(periods.pop(), "sikker") if len(periods) == 1 else "sikker"
        return replace(RulePicker().pick(given), confidence=confidence, probability=0.5)


COMPARISON = "Hvad er forskellen på takstaftalen i 2021-22 og 2023-24?"


def test_periods_side_by_side_are_as_sure_as_the_least_sure_one(indexed_settings, indexed_assistant) -> None:
    picker = PerPeriodPicker({"2021-22": "usikker", "2023-24": "sikker"})
    answer = Assistant(indexed_settings, indexed_assistant.retriever, picker=picker).ask(COMPARISON)
    assert answer.confidence == "usikker"
    assert answer.answer.startswith("Jeg er ikke sikker")
    assert "2021-22:\n" in answer.answer and "2023-24:\n" in answer.answer


def test_a_span_with_one_period_answered_gets_the_ordinary_answer(
    indexed_settings, indexed_assistant
) -> None:
    """Not a one-sided comparison: the picker's own answer, with the confidence it gives it."""
    picker = PerPeriodPicker({"2021-22": "dækker ikke", "2023-24": "sikker"})
    answer = Assistant(indexed_settings, indexed_assistant.retriever, picker=picker).ask(COMPARISON)
    assert "2021-22:\n" not in answer.answer and "2023-24:\n" not in answer.answer
    assert answer.answer.startswith("Ifølge")


@pytest.mark.parametrize(
    ("confidence", "opening", "abstained"),
    [
        ("sikker", "Ifølge Styringsaftale 2017", False),
        ("usikker", "Jeg er ikke sikker, men den nærmeste passage er:", False),
        ("dækker ikke", "Rammeaftalernes dokumenter dækker ikke", True),
    ],
)
def test_the_three_outcomes(
    indexed_settings, indexed_assistant, confidence: str, opening: str, abstained: bool
) -> None:
    assistant = Assistant(indexed_settings, indexed_assistant.retriever, picker=ScriptedPicker(confidence))
    answer = assistant.ask("Hvad er opsigelsesvarslet?")
    assert answer.confidence == confidence and answer.abstained is abstained
    assert answer.answer.startswith(opening)
    assert answer.citations and answer.to_dict()["confidence"] == confidence


def test_a_price_the_documents_do_not_state_is_not_answered(indexed_assistant) -> None:
    assert indexed_assistant.ask("Hvad koster en plads på et kvindekrisecenter i 2024?").abstained


def test_a_sidebar_period_without_its_own_document_falls_back_with_a_note(indexed_assistant) -> None:
    answer = indexed_assistant.ask("Hvad blev der aftalt om udviklingen i taksterne?", period="2019-20")
    assert not answer.abstained
    assert any("2019-20" in note for note in answer.notes)


def test_a_quote_from_an_earlier_period_says_how_it_reaches_the_period_asked_about(indexed_assistant) -> None:
    answer = indexed_assistant.ask("Hvad er opsigelsesvarslet?", period="2023-24")
    assert answer.citations[0].period == "2017"
    note = next(
        n for n in answer.notes if n.startswith("Citatet er fra aftaleperiode 2017, ikke fra 2023-24.")
    )
    carrying = [c for c in answer.citations if c.period == "2023-24"]
    assert carrying and "videreførelse" in carrying[-1].quote and f"[{carrying[-1].n}]" in note


def test_without_a_period_the_current_one_is_the_yardstick(indexed_assistant) -> None:
    from datetime import date

    from core.dates import current_period

    answer = indexed_assistant.ask("Hvad er opsigelsesvarslet?")
    assert any(
        f"ikke fra {current_period(date.today(), indexed_assistant.documents.periods())}" in note
        for note in answer.notes
    )
