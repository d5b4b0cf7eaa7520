"""The chat-model factory: empty = no model, unknown providers fail with the valid choices."""

from __future__ import annotations

import pytest

from assistant.answering.llm.factory import PROVIDERS, LLMConfigError, make_chat_model
from core.settings import load_settings


def test_no_model_when_llm_is_unset() -> None:
    assert make_chat_model(load_settings()) is None


def test_unknown_provider_lists_the_valid_choices() -> None:
    with pytest.raises(LLMConfigError, match="Gyldige: ollama, openai"):
        make_chat_model(load_settings(llm={"model": "anthropik:claude"}))
    assert PROVIDERS == ("ollama", "openai")


def test_missing_model_name_is_explained() -> None:
    with pytest.raises(LLMConfigError, match="mangler modelnavnet"):
        make_chat_model(load_settings(llm={"model": "ollama:"}))


def test_openai_reads_endpoint_from_env_and_does_not_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("langchain_openai")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-dummy")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    model = make_chat_model(load_settings(llm={"model": "openai:gpt-4o-mini", "timeout_s": 3}))
    assert type(model).__name__ == "ChatOpenAI"
    assert model.max_retries == 0 and model.request_timeout == 3
    assert "sk-dummy" not in repr(model)


def test_ollama_takes_its_base_url_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("langchain_ollama")
    monkeypatch.setenv("OLLAMA_BASE_URL", "http://127.0.0.1:9")
    model = make_chat_model(load_settings(llm={"model": "ollama:llama3.1"}))
    assert type(model).__name__ == "ChatOllama" and model.base_url == "http://127.0.0.1:9"
