"""Fixtures for the LLM tests; the scripted model itself lives in llm_fakes.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from langchain_core.messages import AIMessage
from llm_fakes import ScriptedChatModel, make_hit

from core.records import Hit


@pytest.fixture
def scripted() -> Callable[..., ScriptedChatModel]:
    """``scripted("reply 1", tool_call(...), delay_s=...)`` → a model that replies in that order."""

    def make(*replies: str | AIMessage, delay_s: float = 0.0) -> ScriptedChatModel:
        return ScriptedChatModel(messages=iter(replies), delay_s=delay_s)

    return make


@pytest.fixture
def passages() -> list[Hit]:
    return [
        make_hit("Opsigelsesvarslet er løbende måned plus én måned, dette gælder også ved dødsfald.", 0),
        make_hit(
            "Administrationsprocenten må højst være 5 % af de direkte driftsudgifter.", 1, section="Takster"
        ),
    ]


@pytest.fixture(name="make_hit")
def make_hit_fixture() -> Callable[..., Hit]:
    return make_hit
