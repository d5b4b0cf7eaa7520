"""The Assistant over the real index: unchanged without RAMME_LLM__MODEL, generative with a (scripted)
model injected, follow-ups read from history, and the CLI against an unreachable endpoint."""

from __future__ import annotations

import json
import socket

import pytest
from llm_fakes import tool_call

from assistant.answering.llm.generative import FALLBACK, GENERATIVE
from assistant.api import Assistant
from core.settings import LLMSettings
from rammeaftale.cli import main

pytestmark = pytest.mark.integration

QUESTION = "Hvad er opsigelsesvarslet?"


def _generative(settings, retriever, model, timeout_s: float = 30.0) -> Assistant:
    """A second Assistant over the session index, with ``model`` as its chat model."""
    settings = settings.model_copy(update={"llm": LLMSettings(model="fake:scripted", timeout_s=timeout_s)})
    assistant = Assistant(settings, retriever)
    assistant.use_chat_model(model)
    return assistant


def test_without_llm_nothing_changes(indexed_assistant) -> None:
    assert indexed_assistant.chat_mode is None
    answer = indexed_assistant.ask(QUESTION)
    assert answer.mode == "extraktiv" and answer == indexed_assistant.ask(QUESTION, history=[])
    assert indexed_assistant.stream(QUESTION).answer == answer


def test_generative_answer_over_the_real_index(indexed_settings, indexed_assistant, scripted) -> None:
    model = scripted("Opsigelsesvarslet er løbende måned plus én måned [1].")
    answer = _generative(indexed_settings, indexed_assistant.retriever, model).ask(QUESTION)
    assert answer.mode == GENERATIVE, answer.notes
    assert answer.citations and answer.citations[0].n == 1


def test_invalid_generative_answer_falls_back_to_the_real_extractive_one(
    indexed_settings, indexed_assistant, scripted
) -> None:
    answer = _generative(
        indexed_settings, indexed_assistant.retriever, scripted("Varslet er 987654 dage [1].")
    ).ask(QUESTION)
    extractive = indexed_assistant.ask(QUESTION)
    assert (
        answer.mode == FALLBACK
        and answer.answer == extractive.answer
        and answer.citations == extractive.citations
    )
    assert "tallet 987654" in answer.notes[-1]


def test_timeout_falls_back(indexed_settings, indexed_assistant, scripted) -> None:
    model = scripted("Opsigelsesvarslet er løbende måned plus én måned [1].", delay_s=2.0)
    answer = _generative(indexed_settings, indexed_assistant.retriever, model, timeout_s=0.3).ask(QUESTION)
    assert answer.mode == FALLBACK and "inden for 0.3 sekunder" in answer.notes[-1]


def test_calculator_questions_still_go_to_the_calculator(
    indexed_settings, indexed_assistant, scripted
) -> None:
    model = scripted(tool_call("notice", {"notice_date": "2024-03-15"}))
    answer = _generative(indexed_settings, indexed_assistant.retriever, model).ask(
        "Borgeren blev opsagt den 15. marts 2024 – hvornår stopper betalingen?"
    )
    assert answer.tool == "notice" and model.history == []  # exact and free: no model call


def test_followup_is_rewritten_from_history_and_reported(indexed_assistant) -> None:
    history = ["Borgeren blev opsagt den 15. marts 2024 – hvornår stopper betalingen?"]
    answer = indexed_assistant.ask("og hvad hvis borgeren dør?", history=history)
    assert answer.tool == "notice"  # the date came from the previous question
    assert answer.notes[0].startswith(
        "Opfølgende spørgsmål tolket som: »Borgeren blev opsagt den 15. marts 2024"
    )


def test_model_rewrites_the_followup_in_llm_mode(indexed_settings, indexed_assistant, scripted) -> None:
    model = scripted("Hvad er opsigelsesvarslet ved dødsfald?", "Varslet gælder også ved dødsfald [1].")
    answer = _generative(indexed_settings, indexed_assistant.retriever, model).ask(
        "og hvad hvis borgeren dør?", history=[QUESTION]
    )
    assert answer.question == "Hvad er opsigelsesvarslet ved dødsfald?" and answer.mode == GENERATIVE
    assert "»Hvad er opsigelsesvarslet ved dødsfald?«" in answer.notes[0]


def test_cli_with_an_unreachable_endpoint_answers_extractively(
    indexed_settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("langchain_openai")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("RAMME_DATA_DIR", str(indexed_settings.data_dir))
    monkeypatch.setenv("RAMME_LLM__MODEL", "openai:gpt-4o-mini")
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-dummy")
    assert main(["ask", QUESTION, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mode"] == FALLBACK and not data["abstained"]
    assert any("forbindelsen til sprogmodellen fejlede" in note for note in data["notes"])
    assert main(["ask", QUESTION]) == 0
    assert "Bemærk: Sprogmodellens svar kunne ikke bruges (forbindelsen" in capsys.readouterr().out


def test_personal_data_never_reaches_the_chat_model(indexed_settings, indexed_assistant, scripted) -> None:
    model = scripted("Opsigelsesvarslet er løbende måned plus én måned [1].")
    assistant = _generative(indexed_settings, indexed_assistant.retriever, model)
    assistant.ask(
        "Hvad er opsigelsesvarslet for borger 010190-1234 (mail a.b@kommune.dk)?",
        history=["Borger 020285-4321"],
    )
    sent = " ".join(str(m.content) for messages in model.history for m in messages)
    assert sent, "the model was asked"
    assert "010190-1234" not in sent and "a.b@kommune.dk" not in sent and "020285-4321" not in sent
