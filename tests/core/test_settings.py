"""Settings: groups read from RAMME_<GROUP>__<FIELD>, every field described, and a malformed
variable refused in Danish with the way to write it."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from core.settings import Settings, load_settings


def test_a_group_field_is_set_by_its_nested_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAMME_LLM__MODEL", "ollama:llama3.1")
    monkeypatch.setenv("RAMME_ANSWERING__EVIDENCE__MAX_QUOTES", "2")
    monkeypatch.setenv("RAMME_RETRIEVAL__DENSE_WEIGHT", "0.4")
    settings = load_settings()
    assert settings.llm.model == "ollama:llama3.1"
    assert settings.answering.evidence.max_quotes == 2
    assert settings.retrieval.dense_weight == 0.4
    assert settings.retrieval.top_k == 5  # the rest of the group keeps its defaults


def test_a_group_set_as_one_plain_value_is_refused_in_danish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAMME_LLM", "ollama:llama3.1")
    with pytest.raises(ValueError, match="RAMME_LLM__MODEL=ollama:llama3.1"):
        load_settings()


def _fields(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str | None]]:
    found = []
    for name, info in model.model_fields.items():
        found.append((prefix + name, info.description))
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found += _fields(annotation, f"{prefix}{name}.")
    return found


def test_every_setting_says_what_it_is_for() -> None:
    fields = _fields(Settings)
    assert "answering.evidence.min_coverage" in dict(fields)
    assert [name for name, description in fields if not description] == []
