"""Chat questions that reach each calculator, questions that must not, and missing inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.calculators.registry import answer_calculation, read_calculation
from assistant.calculators.rules import load_rules
from core.records import Answer, Citation

RULES = load_rules(Path(__file__).resolve().parents[2] / "corpus" / "rules.yaml")


def ask(question: str, period: str | None = None) -> Answer | None:
    """What the chat answers when the question is read as a calculation (Assistant.understand
    reads the named period the same way), else None: the question goes to retrieval."""
    calculation = read_calculation(question)
    if calculation is None:
        return None
    return answer_calculation(question, calculation, RULES, period, RULES.calendar.detect(question))


@pytest.mark.parametrize(
    ("question", "last_paid_day", "period"),
    [
        ("Borgeren blev opsagt den 15. marts 2024 — hvornår stopper betalingen?", "2024-04-30", "2023-24"),
        ("Borgeren døde 3/1-2025, hvornår er sidste betalingsdag?", "2025-02-28", "2025-26"),
        ("Pladsen blev opsagt 15.3.2024. Hvornår er sidste betalingsdag?", "2024-04-30", "2023-24"),
        ("Vi opsagde pladsen 2017-12-10, hvornår stopper betalingen?", "2018-01-31", "2017"),
    ],
)
def test_notice_questions(question, last_paid_day, period):
    answer = ask(question)
    assert answer is not None and answer.tool == "notice" and not answer.abstained
    assert answer.tool_result["last_paid_day"] == last_paid_day
    assert answer.period == period
    assert all(isinstance(c, Citation) for c in answer.citations)
    assert any(c.section == "13.4 Opsigelsesvarsel" for c in answer.citations)
    assert "Sådan har jeg forstået spørgsmålet" in answer.answer
    assert answer.to_dict()["tool"] == "notice"


def test_death_and_objective_places_are_understood():
    death = ask("Borgeren døde 3/1-2025, hvornår er sidste betalingsdag?")
    assert death.tool_result["is_death"] is True and "dødsfald" in death.answer
    objective = ask(
        "En borger på en objektivt finansieret plads (§ 40) blev opsagt 15. marts 2024. Hvornår stopper betalingen?"
    )
    assert objective.tool_result["applies"] is False
    assert "gælder ikke" in objective.answer


def test_invalid_date_gets_a_clear_answer_not_an_exception():
    answer = ask("Borgeren blev opsagt 31. februar 2024, hvornår stopper betalingen?")
    assert answer.tool == "notice" and "findes ikke" in answer.answer


def test_tariff_question_from_the_issue():
    answer = ask("hvad bliver døgntaksten med 12 pladser og 9,5 mio. i driftsudgifter?")
    assert answer is not None and answer.tool == "tariff" and not answer.abstained
    variants = answer.tool_result["variants"]  # no target group given: both occupancies shown
    assert [v["occupancy_pct"] for v in variants] == [98, 100]
    assert variants[1]["daily_tariff"] == pytest.approx(9_500_000 * 1.061 / (12 * 365), abs=0.01)
    assert "Direkte driftsudgifter: 9.500.000,00 kr." in answer.answer
    assert any("6,1" in c.quote for c in answer.citations)


def test_tariff_question_with_more_inputs():
    question = (
        "Hvad bliver døgntaksten for voksne med 12 pladser, 9,5 mio. i driftsudgifter, heraf 1 mio. til "
        "tjenestemænd, afskrivninger på 200.000 kr. og et underskud på 1,2 mio. i 2023-24?"
    )
    result = ask(question).tool_result
    inputs = result["inputs"]
    assert inputs["tjm_salaries"] == 1_000_000 and inputs["depreciation"] == 200_000
    assert inputs["prior_result"] == -1_200_000 and inputs["target_group"] == "voksne"
    assert result["period"] == "2023-24"
    assert result["regulation"] > 0  # a deficit beyond 5 % raises the tariff


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("Hvad bliver døgntaksten med 12 pladser?", "driftsudgifter"),
        ("Hvad bliver taksten med 9,5 mio. kr. i driftsudgifter til voksne?", "antal pladser"),
        (
            "Hvad bliver taksten for et forsorgshjem med 10 pladser og 5 mio. kr. i driftsudgifter?",
            "belægningsprocent",
        ),
    ],
)
def test_tariff_question_with_missing_inputs_says_what_is_missing(question, missing):
    answer = ask(question)
    assert answer.tool == "tariff" and answer.abstained is False
    assert any(missing in m for m in answer.tool_result["missing"])
    assert "mangler" in answer.answer


def test_tariff_check_question():
    answer = ask("Overholder et tilbud med 1.000 kr. i 2023 og 1.050 kr. i 2024 takstaftalen?")
    assert answer.tool == "check_tariffs"
    assert answer.tool_result["compliant"] is False
    assert answer.period == "2023-24"
    assert any("Taksterne kan ikke stige i perioden" in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    "question",
    [
        "Hvad er opsigelsesvarslet?",
        "Hvad er opsigelsesvarslet ved dødsfald?",
        "Hvad er belægningsprocenten for børn og unge?",
        "Hvad er takstaftalen for 2023-24?",
        "Hvad er døgntaksten?",
        "Hvilke udviklingsområder er der i Rammeaftale 2025-2026?",
        "Hvad skete der den 15. marts 2024 i KKR?",
        "",
    ],
)
def test_non_calculator_questions_go_to_retrieval(question):
    assert ask(question) is None


@pytest.mark.parametrize(
    ("question", "tool", "key", "expected"),
    [
        (
            "A resident died on 14 February 2022. Until which day do we pay?",
            "notice",
            "last_paid_day",
            "2022-03-31",
        ),
        (
            "We terminated a placement on 30 November 2023. What is the last paid day?",
            "notice",
            "last_paid_day",
            "2023-12-31",
        ),
        (
            "Beregn takst 2024 for et voksentilbud: 8 pladser, driftsudgifter 6 mio. kr.",
            "tariff",
            "occupancy_pct",
            100,
        ),
        (
            "tariff for adult residential offer, 10 places, 10 million DKK operating costs, 2017",
            "tariff",
            "occupancy_pct",
            100,
        ),
        (
            "Tilbuddets takst faldt fra 1.000.000 kr. i 2015 til 980.000 kr. i 2018 (faste priser). "
            "Overholder det takstaftalen?",
            "check_tariffs",
            "compliant",
            False,
        ),
        (
            "Er det ok at taksten steg fra 1.000.000 kr. i 2019 til 1.012.000 kr. i 2020 (faste priser)?",
            "check_tariffs",
            "compliant",
            False,
        ),
        (
            "Offer: 2023 tariff 850,000 DKK, 2024 tariff 850,000 DKK (fixed prices) - compliant?",
            "check_tariffs",
            "compliant",
            True,
        ),
        ("check takster 2025 900.000 og 2026 890.000 faste priser", "check_tariffs", "compliant", True),
    ],
)
def test_more_phrasings_reach_the_right_calculator(question, tool, key, expected):
    answer = ask(question)
    assert answer is not None and answer.tool == tool
    assert answer.tool_result[key] == expected


def test_present_tense_death_counts_as_death() -> None:
    answer = ask("Hvis borgeren dør den 15. marts 2024, hvornår stopper betalingen?")
    assert answer is not None and answer.tool == "notice"
    assert answer.tool_result["last_paid_day"] == "2024-04-30"
    assert answer.tool_result["is_death"] is True
