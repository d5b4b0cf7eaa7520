"""The chat page warns when a question contains a CPR number (Streamlit AppTest, tiny index)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.settings import PROJECT_ROOT

pytestmark = pytest.mark.integration


@pytest.fixture
def chat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(PROJECT_ROOT / "corpus" / "rules.yaml", corpus / "rules.yaml")
    (corpus / "aftale.txt").write_text("Opsigelse\n\nOpsigelsesvarslet er seks måneder.\n", encoding="utf-8")
    monkeypatch.setenv("RAMME_CORPUS_DIR", str(corpus))
    st.cache_resource.clear()  # get_assistant() is process-wide; this test needs its own settings
    yield AppTest.from_file(str(PROJECT_ROOT / "pages" / "1_Chat.py"), default_timeout=180).run()
    st.cache_resource.clear()


def test_question_with_cpr_number_gets_a_warning(chat: AppTest) -> None:
    chat.chat_input[0].set_value("Hvad er opsigelsesvarslet for borger 0101901234?").run()
    assert not chat.exception
    assert any("CPR-nummer" in warning.value for warning in chat.warning)


def test_ordinary_question_gets_no_warning(chat: AppTest) -> None:
    chat.chat_input[0].set_value("Hvad er opsigelsesvarslet?").run()
    assert not chat.exception
    assert not any("CPR-nummer" in warning.value for warning in chat.warning)
