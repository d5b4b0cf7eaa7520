"""Scanned pages: real image-only PDFs (Pillow draws the text, reportlab embeds the image, pypdf reads
it back) and the real Tesseract CLI with Danish data; without Tesseract the Danish refusal stays."""

from __future__ import annotations

import pytest

from core.settings import load_settings
from ingest.errors import IngestError
from ingest.loaders import load_bytes
from ingest.ocr import tesseract_available
from tests.pdf.rendering import render_scan

SCANNED = [
    "Underskrifter til Rammeaftale 2027-28",
    "Opsigelsesvarslet for pladser er seks måneder.",
    "Aftalen er godkendt af kommunalbestyrelserne i Midtjylland.",
]
needs_tesseract = pytest.mark.skipif(
    not tesseract_available(),
    reason="tesseract med dansk sprogdata er ikke installeret (make test installerer det)",
)


@needs_tesseract
def test_a_scanned_page_is_read_with_danish_ocr_and_marked() -> None:
    doc = load_bytes("underskrifter.pdf", render_scan(SCANNED))
    (page,) = doc.pages
    assert page.ocr and page.number == 1
    words = " ".join(page.text.split())
    assert "seks måneder" in words and "kommunalbestyrelserne" in words


@needs_tesseract
def test_ocr_chunks_are_cited_as_ocr_with_their_page() -> None:
    from assistant.api import Assistant

    assistant = Assistant.open(load_settings())
    data = render_scan(SCANNED, text_pages=["Rammeaftale 2027-28\nTakstaftalen gælder for alle tilbud."])
    report = assistant.documents.ingest_upload("aftale-med-scanning.pdf", data)
    assert report.added == ["aftale-med-scanning.pdf"], report.failed
    hits = assistant.search("opsigelsesvarslet for pladser seks måneder")
    top = next(hit.chunk for hit in hits if hit.chunk.document == "aftale-med-scanning.pdf")
    assert top.ocr and top.page == 2 and "seks måneder" in " ".join(top.text.split())
    answer = assistant.ask("Hvad er opsigelsesvarslet for pladser i 2027-28?")
    scanned = [c for c in answer.citations if "seks måneder" in " ".join(c.quote.split())]
    assert scanned and all(c.ocr and c.page for c in scanned), answer.citations
    assert any(c["ocr"] for c in answer.to_dict()["citations"])


def test_without_tesseract_a_scan_is_refused_in_danish(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a real run with no tesseract on PATH
    tesseract_available.cache_clear()
    try:
        with pytest.raises(IngestError, match="ikke noget tekstlag .* skal OCR-behandles først"):
            load_bytes("scannet.pdf", render_scan(SCANNED))
    finally:
        tesseract_available.cache_clear()
