"""Positioned text runs of a PDF page, read with pypdf's visitor: where each piece of text sits,
its size and whether it is bold. Layout decisions are made in :mod:`ingest.pdf_layout`."""

from __future__ import annotations

from dataclasses import dataclass

# WinAnsiEncoding draws a bullet at every unused code above 40 octal; producers (reportlab among
# them) write "•" as 0x7F, which pypdf hands back as DEL.
_GLYPH_FIXES = str.maketrans({"\x7f": "•"})
_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")


@dataclass(frozen=True)
class TextRun:
    """One piece of text as the page draws it (PDF points, y grows upwards)."""

    x: float
    y: float
    text: str
    size: float
    bold: bool


def page_runs(page) -> list[TextRun]:
    """Every non-blank run on a pypdf page, in drawing order."""
    runs: list[TextRun] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or 1.0
        name = str((font or {}).get("/BaseFont", "")).lower()
        bold = any(word in name for word in _BOLD_NAMES)
        for offset, piece in enumerate(text.translate(_GLYPH_FIXES).split("\n")):
            if piece.strip():  # a run spanning lines: later lines sit one leading lower
                runs.append(TextRun(x, y - offset * size * scale * 1.2, piece, size * scale, bold))

    page.extract_text(visitor_text=visit)
    return runs
