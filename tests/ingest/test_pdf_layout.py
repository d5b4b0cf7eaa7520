"""PDF layout: real PDFs rendered with reportlab (headers, footers, page numbers, Danish hyphenation,
a table, a two-column page) and read back by pypdf through the loader."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from ingest.loaders import load_bytes
from ingest.manifest import Manifest
from ingest.pdf_layout import join_broken
from ingest.prepare import chunk_document
from tests.pdf.rendering import Block, PdfLook, RenderPlan, render_pdf

LONG = (
    "Kommunerne og regionen samarbejder om specialundervisningsområdet og de specialiserede "
    "socialtilbud, så borgerne får den rette indsats på tværs af kommunegrænserne. "
)


def _plan() -> RenderPlan:
    blocks = [Block("heading", "13.4 Opsigelsesvarsel")]
    blocks += [Block("paragraph", LONG * 4 + f"Afsnit {i} slutter her.") for i in range(6)]
    blocks.append(Block("table", rows=(("Børn og Unge området", "98 %"), ("Voksenområdet", "100 %"))))
    blocks.append(Block("item", "• Opsigelsesvarslet er 3 måneder til den 1. i en måned."))
    blocks += [Block("paragraph", LONG * 3 + f"Kolonneafsnit {i} slutter her.") for i in range(8)]
    return RenderPlan(blocks)


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return render_pdf(
        _plan(), PdfLook("Rammeaftale 2027-28 – Styringsaftale", "Udkast 2026"), two_column_at=0.6
    )


@pytest.fixture(scope="module")
def document(pdf_bytes: bytes):
    return load_bytes("aftale.pdf", pdf_bytes)


def test_running_header_footer_and_page_numbers_are_gone(document) -> None:
    assert len(document.pages) >= 3
    text = document.text
    assert "Styringsaftale" not in text and "Udkast 2026" not in text and "Sekretariatet" not in text
    for page in document.pages:
        assert page.number is not None
        assert all(not line.strip().isdigit() for line in page.text.splitlines())


def test_words_hyphenated_at_line_ends_are_rejoined(document, pdf_bytes: bytes) -> None:
    raw = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)
    assert len(re.findall(r"[a-zæøå]-\n[a-zæøå]", raw)) >= 10  # the PDF really breaks words
    text = document.text
    assert text.count("specialundervisningsområdet") == 6 * 4 + 8 * 3
    assert "kommunegrænserne" in text and "-\n" not in text


def test_table_rows_stay_whole_and_columns_read_in_order(document) -> None:
    lines = document.text.splitlines()
    assert "Børn og Unge området 98 %\nVoksenområdet 100 %" in document.text
    assert "• Opsigelsesvarslet er 3 måneder til den 1. i en måned." in lines
    order = [int(line.split("Kolonneafsnit ")[1].split()[0]) for line in lines if "Kolonneafsnit" in line]
    assert order == list(range(8))
    assert all(line.endswith("slutter her.") for line in lines if "Kolonneafsnit" in line)


def test_chunks_keep_heading_and_page(document) -> None:
    chunks = chunk_document(document, Manifest())
    assert chunks[0].section == "13.4 Opsigelsesvarsel" and chunks[0].page == 1
    assert all(chunk.page for chunk in chunks)
    assert any(chunk.page >= 3 for chunk in chunks)


@pytest.mark.parametrize(
    ("left", "right", "vocabulary", "joined"),
    [
        (
            "det specialiserede specialundervis-",
            "ningsområde i",
            set(),
            "det specialiserede specialundervisningsområde i",
        ),
        (
            "det specialiserede social-",
            "og specialundervisningsområde",
            set(),
            "det specialiserede social- og specialundervisningsområde",
        ),
        ("sendes til KKR-", "sekretariatet", set(), "sendes til KKR-sekretariatet"),
        ("i perioden 2023-", "24", set(), "i perioden 2023-24"),
        ("et over-", "skud", {"over-skud"}, "et over-skud"),
        ("en sætning.", "Ny sætning", set(), "en sætning. Ny sætning"),
    ],
)
def test_join_broken(left: str, right: str, vocabulary: set[str], joined: str) -> None:
    assert join_broken(left, right, vocabulary) == joined
