"""PDF parity: the corpus rendered as municipal-looking PDFs (tests/pdf/rendering.py), ingested into a
fresh index, answers the golden suite as well as the text corpus does: at least 95 % of the cases
that pass on the text pass on the PDFs, and the PDF citations carry page numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from tests.pdf.parity import measure

MIN_PARITY = 0.95
# Every passage quoted from a PDF carries its page. (86.7 % was measured while the clause a period
# note cites from rules.yaml was counted too; that clause's page comes from rules.yaml, not the PDF.)
MIN_CITED_PAGES = 1.0


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
