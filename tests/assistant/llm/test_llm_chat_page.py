"""The chat page in LLM mode (Streamlit AppTest, in-process): history reaches ask, the streamed
text is replaced by the validated answer or by the fallback with its note, and the mode is shown."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import ui.resources
from assistant.api import Assistant
from core.settings import PROJECT_ROOT

pytestmark = pytest.mark.integration


def _page(monkeypatch: pytest.MonkeyPatch, assistant: Assistant) -> AppTest:
    monkeypatch.setattr(ui.resources, "get_assistant", lambda: assistant)
    return AppTest.from_file(str(PROJECT_ROOT / "pages" / "1_Chat.py"), default_timeout=60)


def _generative(settings, retriever, model) -> Assistant:
    assistant = Assistant(settings, retriever)
    assistant.use_chat_model(model)
    return assistant


def test_valid_streamed_answer_is_shown_with_its_mode(
    monkeypatch, indexed_settings, indexed_assistant, scripted
) -> None:
    model = scripted("Opsigelsesvarslet er løbende måned plus én måned [1].")
    page = _page(monkeypatch, _generative(indexed_settings, indexed_assistant.retriever, model)).run()
    page.chat_input[0].set_value("Hvad er opsigelsesvarslet?").run()
    assert not page.exception
    texts = [m.value for m in page.markdown]
    assert any("løbende måned plus én måned \\[1\\]" in t for t in texts), texts
    assert any("Svaret kommer fra: generativ" in c.value for c in page.caption)


def test_failed_validation_shows_the_fallback_and_why(
    monkeypatch, indexed_settings, indexed_assistant, scripted
) -> None:
    model = scripted("Varslet er 987654 dage [1].")
    page = _page(monkeypatch, _generative(indexed_settings, indexed_assistant.retriever, model)).run()
    page.chat_input[0].set_value("Hvad er opsigelsesvarslet?").run()
    assert not page.exception
    assert not any("987654" in m.value for m in page.markdown)  # the streamed text was replaced
    assert any("tallet 987654" in i.value for i in page.info)
    assert any("extraktiv (fallback)" in c.value for c in page.caption)


def test_followup_uses_the_chat_history(monkeypatch, indexed_assistant) -> None:
    page = _page(monkeypatch, indexed_assistant).run()
    page.chat_input[0].set_value(
        "Borgeren blev opsagt den 15. marts 2024 – hvornår stopper betalingen?"
    ).run()
    page.chat_input[0].set_value("og hvad hvis borgeren dør?").run()
    assert not page.exception
    assert any(i.value.startswith("Opfølgende spørgsmål tolket som") for i in page.info)
