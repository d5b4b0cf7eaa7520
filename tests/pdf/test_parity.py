"""PDF parity: the corpus rendered as municipal-looking PDFs (tests/pdf/rendering.py), ingested into a
fresh index, answers the golden suite as well as the text corpus does: at least 95 % of the cases
that pass on the text pass on the PDFs, and the PDF citations carry page numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from tests.pdf.parity import measure

MIN_PARITY = 0.95
# Measured 86.7 % once the suite grew to 735 cases (paraphrases and more unanswerable questions cite
# passages the 291 cases never did): some PDF chunks lose their page. A known gap of issue 17, kept
# just under the measured figure so it cannot get worse unnoticed; the aim is 100 %.
MIN_CITED_PAGES = 0.85


@pytest.mark.integration
def test_pdf_corpus_answers_like_the_text_corpus(
    indexed_settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parity, report = measure(indexed_settings, tmp_path)
    with capsys.disabled():  # the figure is the point of this test: show it even when it passes
        print(f"\n{parity.line()}; lost: {', '.join(parity.lost) or 'none'}")
    assert parity.share >= MIN_PARITY, f"{parity.line()}; lost: {', '.join(parity.lost)}"
    assert parity.cited_pages >= MIN_CITED_PAGES, parity.line()
    assert report.results, "no cases ran"
