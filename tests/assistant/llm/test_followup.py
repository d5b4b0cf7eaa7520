"""Follow-up questions become standalone: by rules without a model, by the model when there is one
(and by the rules again when the model fails, is slow or adds numbers of its own)."""

from __future__ import annotations

import pytest

from assistant.answering.llm.followup import is_followup, rewrite_by_rules, rewrite_followup

NOTICE = "Borgeren blev opsagt den 15. marts 2024 – hvornår stopper betalingen?"


@pytest.mark.parametrize(
    "question",
    [
        "og hvad hvis borgeren dør?",
        "Hvad hvis pladsen er § 40?",
        "What if the citizen dies?",
        "Og i 2025?",
        "Hvad betyder det?",
        "for voksne?",
    ],
)
def test_followups_are_recognised(question: str) -> None:
    assert is_followup(question)


@pytest.mark.parametrize(
    "question",
    ["Hvad er opsigelsesvarslet?", "Hvor stor må administrationsprocenten være i 2024?", "Opsigelsesvarsel?"],
)
def test_standalone_questions_are_left_alone(question: str) -> None:
    assert not is_followup(question)
    assert rewrite_by_rules(question, [NOTICE]) == question


def test_rule_based_rewrite_carries_the_previous_topic_and_date() -> None:
    rewritten = rewrite_by_rules("og hvad hvis borgeren dør?", [NOTICE])
    assert rewritten.startswith("Borgeren blev opsagt den 15. marts 2024") and rewritten.endswith(
        "hvad hvis borgeren dør?"
    )


def test_the_followups_own_period_or_date_replaces_the_previous_one() -> None:
    assert (
        rewrite_by_rules("Og i 2025?", ["Hvad er opsigelsesvarslet i 2024?"])
        == "Hvad er opsigelsesvarslet – i 2025?"
    )
    rewritten = rewrite_by_rules("og hvis det var den 1. juni 2024?", [NOTICE])
    assert "15. marts" not in rewritten and rewritten.startswith("Borgeren blev opsagt den 1. juni 2024")


def test_a_chain_of_followups_keeps_the_original_topic() -> None:
    history = ["Hvad er opsigelsesvarslet for børn?", "og for voksne?"]
    assert rewrite_by_rules("Hvad betyder det?", history).startswith("Hvad er opsigelsesvarslet for børn")


def test_without_history_nothing_changes() -> None:
    rewrite = rewrite_followup("og hvad hvis borgeren dør?", [])
    assert not rewrite.changed and rewrite.note() is None


def test_rule_based_rewrite_is_reported() -> None:
    rewrite = rewrite_followup("og hvad hvis borgeren dør?", [NOTICE])
    assert (
        rewrite.method == "regel"
        and rewrite.note() == f"Opfølgende spørgsmål tolket som: »{rewrite.question}«"
    )


def test_model_based_rewrite(scripted) -> None:
    model = scripted("Hvornår stopper betalingen, hvis borgeren dør den 15. marts 2024?")
    rewrite = rewrite_followup("og hvad hvis borgeren dør?", [NOTICE], model)
    assert (
        rewrite.method == "model"
        and rewrite.question == "Hvornår stopper betalingen, hvis borgeren dør den 15. marts 2024?"
    )
    assert NOTICE in str(model.history[0][1].content)  # the model saw the history as data


@pytest.mark.parametrize(
    ("reply", "delay_s"),
    [
        ("Hvornår stopper betalingen, hvis borgeren dør den 20. maj 2024?", 0.0),  # a date nobody gave
        ("", 0.0),
        ("Hvornår stopper betalingen, hvis borgeren dør?", 2.0),
    ],  # too slow
)
def test_model_rewrite_falls_back_to_rules(scripted, reply: str, delay_s: float) -> None:
    rewrite = rewrite_followup(
        "og hvad hvis borgeren dør?", [NOTICE], scripted(reply, delay_s=delay_s), timeout_s=0.3
    )
    assert rewrite.method == "regel" and rewrite.question == rewrite_by_rules(
        "og hvad hvis borgeren dør?", [NOTICE]
    )
