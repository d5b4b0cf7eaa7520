"""The Dokumenter page driven through Streamlit's AppTest: re-index, a refused upload, an upload
with metadata, removal. Real Assistant, real Chroma in the test's data dir."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.integration


@pytest.fixture
def page(page_over_small_corpus) -> AppTest:
    return page_over_small_corpus(
        "6_Dokumenter.py", "Rammeaftale 2025-2026\n\nOpsigelsesvarslet er seks måneder.\n"
    )


def click(app: AppTest, label: str) -> AppTest:
    return next(b for b in app.button if b.label == label).click().run()


def texts(elements) -> list[str]:
    return [element.value for element in elements]


def documents(app: AppTest) -> pd.DataFrame:
    """The list of documents as shown: a static table (wraps at 1024 px) whose cells are
    markdown-escaped, so they are unescaped here."""
    return app.table[0].value.map(lambda text: re.sub(r"\\(.)", r"\1", text))


def test_documents_page_lists_adds_refuses_and_removes(page: AppTest) -> None:
    assert not page.exception
    assert any("Indekset er tomt" in text for text in texts(page.info))

    page = click(page, "Genindeksér")
    assert any("aftale.txt" in text for text in texts(page.success))
    assert list(documents(page)["Fil"]) == ["aftale.txt"]

    page.file_uploader[0].set_value(("../skadet.pdf", b"%PDF-1.4 ikke en rigtig pdf", "application/pdf"))
    page = click(page, "Tilføj til indekset")
    assert any("må ikke indeholde mapper" in text for text in texts(page.error))
    assert list(documents(page)["Fil"]) == ["aftale.txt"]

    page.file_uploader[0].set_value(
        ("bilag.txt", b"Bilag om betaling\n\nFristen er 30 dage.\n", "text/plain")
    )
    page.text_input[0].set_value("Betalingsbilag")
    page.selectbox[0].set_value("2025-26")
    page.text_input[1].set_value("bilag")
    page = click(page, "Tilføj til indekset")
    assert not page.error and any("Tilføjet" in text and "bilag.txt" in text for text in texts(page.success))
    table = documents(page).set_index("Fil")
    assert (
        table.loc["bilag.txt", "Titel"] == "Betalingsbilag" and table.loc["bilag.txt", "Periode"] == "2025-26"
    )

    page.selectbox[1].set_value("bilag.txt")
    page = click(page, "Fjern")
    assert any("Sæt hak" in text for text in texts(page.warning))
    page.checkbox[0].check()
    page = click(page, "Fjern")
    assert any("Fjernet" in text for text in texts(page.success))
    assert list(documents(page)["Fil"]) == ["aftale.txt"]
