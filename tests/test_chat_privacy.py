"""The chat page warns when a question contains a CPR number (Streamlit AppTest, tiny index)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.integration


@pytest.fixture
def chat(page_over_small_corpus) -> AppTest:
    return page_over_small_corpus("1_Chat.py", "Opsigelse\n\nOpsigelsesvarslet er seks måneder.\n")


def test_question_with_cpr_number_gets_a_warning(chat: AppTest) -> None:
    chat.chat_input[0].set_value("Hvad er opsigelsesvarslet for borger 0101901234?").run()
    assert not chat.exception
    assert any("CPR-nummer" in warning.value for warning in chat.warning)


def test_ordinary_question_gets_no_warning(chat: AppTest) -> None:
    chat.chat_input[0].set_value("Hvad er opsigelsesvarslet?").run()
    assert not chat.exception
    assert not any("CPR-nummer" in warning.value for warning in chat.warning)
