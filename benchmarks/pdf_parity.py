"""The PDF parity figure for `make bench`: the corpus rendered as municipal-looking PDFs (headers,
footers, page numbers, hyphenation, a table, a two-column page), ingested into a fresh index and
run through the golden suite beside the text index. Same harness as tests/pdf/test_parity.py."""

from __future__ import annotations

import time
from pathlib import Path


def pdf_parity(corpus: Path, data: Path, work: Path) -> dict:
    """Parity of the PDF route against the text index at ``data`` (built from ``corpus``)."""
    from core.settings import load_settings
    from tests.pdf.parity import measure

    started = time.perf_counter()
    parity, _ = measure(load_settings(corpus_dir=corpus, data_dir=data, chroma_mode="embedded"), work / "pdf")
    return {
        "text_passed": parity.text_passed,
        "kept": parity.kept,
        "share": parity.share,
        "lost": list(parity.lost),
        "gained": list(parity.gained),
        "cited_pages": parity.cited_pages,
        "pdf_pages": parity.pdf_pages,
        "seconds": time.perf_counter() - started,
        "line": parity.line(),
    }
