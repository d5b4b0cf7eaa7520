"""Masking of CPR numbers and e-mail addresses, and the opt-in question log."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from core.privacy import (
    CPR_MASK,
    EMAIL_MASK,
    QuestionLogEntry,
    contains_cpr,
    log_question,
    mask_personal_data,
)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Borgeren har CPR 010190-1234.", f"Borgeren har CPR {CPR_MASK}."),
        ("borger 010190-1234, mor", f"borger {CPR_MASK}, mor"),
        ("cpr 0101901234 i sagen", f"cpr {CPR_MASK} i sagen"),
        ("CPR: 311299–4321", f"CPR: {CPR_MASK}"),  # en dash, as Word writes it
        ("010190 1234", CPR_MASK),
        ("Født 290200-1234", f"Født {CPR_MASK}"),  # 29 February 2000 exists
        ("Skriv til jens.hansen@aarhus.dk", f"Skriv til {EMAIL_MASK}"),
        ("a+b@sub.example.co.uk og 010190-1234", f"{EMAIL_MASK} og {CPR_MASK}"),
    ],
)
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "Hvad er opsigelsesvarslet?",
        "Taksten er 1.010.901.234 kr.",  # an amount, not a CPR number
        "Sagsnummer 1234567890",  # 12/34 is no date
        "Dato 320190-1234",  # no 32nd day
        "290201-1234",  # 29 February 1901/2001 does not exist
        "Ring på 12 34 56 78",
        "Rammeaftale 2025-2026 fra 01.01.2025",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert mask_personal_data(text) == text
    assert not contains_cpr(text)


def test_contains_cpr_with_and_without_dash() -> None:
    assert (
        contains_cpr("010190-1234")
        and contains_cpr("0101901234")
        and contains_cpr("spørgsmål om 150575-0001?")
    )


def test_masking_is_idempotent() -> None:
    once = mask_personal_data("010190-1234, a@b.dk")
    assert mask_personal_data(once) == once


def test_question_log_holds_only_masked_questions(tmp_path: Path) -> None:
    path = tmp_path / "log" / "questions.jsonl"
    raw = "Hvad får borger 010190-1234 (mor@example.dk) i takst 2024?"
    log_question(path, QuestionLogEntry(raw, "2023-24", False, "takst", 12))
    log_question(path, QuestionLogEntry("Hvad er opsigelsesvarslet?", None, True, None, 7))
    text = path.read_text(encoding="utf-8")
    assert "010190" not in text and "1234" not in text and "mor@example.dk" not in text
    first, second = [json.loads(line) for line in text.splitlines()]
    assert first["question"] == f"Hvad får borger {CPR_MASK} ({EMAIL_MASK}) i takst 2024?"
    assert first | {"at": ""} == {
        "at": "",
        "question": first["question"],
        "period": "2023-24",
        "abstained": False,
        "tool": "takst",
        "latency_ms": 12,
    }
    assert second["abstained"] is True and second["at"]


@pytest.mark.integration
def test_ask_logs_nothing_personal(indexed_settings, caplog: pytest.LogCaptureFixture) -> None:
    """End to end: the opt-in log gets a masked line; no log record carries the raw question."""
    from assistant.api import Assistant

    settings = indexed_settings.model_copy(
        update={"question_log": True, "data_dir": indexed_settings.data_dir}
    )
    assistant = Assistant.open(settings)
    log_path = settings.question_log_path
    before = log_path.read_text(encoding="utf-8") if log_path.exists() else ""
    with caplog.at_level(logging.DEBUG):
        answer = assistant.ask("Hvad er opsigelsesvarslet for borger 010190-1234, jens@kommune.dk?")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "010190" not in logged and "jens@kommune.dk" not in logged
    new_lines = log_path.read_text(encoding="utf-8")[len(before) :].splitlines()
    entry = json.loads(new_lines[-1])
    assert CPR_MASK in entry["question"] and EMAIL_MASK in entry["question"]
    assert entry["abstained"] == answer.abstained and "010190" not in log_path.read_text(encoding="utf-8")


def test_question_log_is_off_by_default() -> None:
    from core.settings import load_settings

    assert load_settings().question_log is False


def test_a_streamed_answer_is_logged_once_when_it_completes(indexed_settings) -> None:
    """The chat page streams; its questions reach the opt-in log like asked ones, once each."""
    from assistant.api import Assistant

    settings = indexed_settings.model_copy(
        update={"question_log": True, "data_dir": indexed_settings.data_dir}
    )
    assistant = Assistant.open(settings)
    log_path = settings.question_log_path
    before = log_path.read_text(encoding="utf-8").splitlines() if log_path.exists() else []
    stream = assistant.stream("Hvad er betalingsfristen for borger 010190-1234?")
    assert (
        log_path.read_text(encoding="utf-8").splitlines() if log_path.exists() else []
    ) == before  # not yet
    "".join(stream)
    assert stream.answer is not None
    after = log_path.read_text(encoding="utf-8").splitlines()
    assert len(after) == len(before) + 1
    assert CPR_MASK in json.loads(after[-1])["question"]
