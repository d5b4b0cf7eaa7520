"""Read a scanned PDF page with the Tesseract CLI and its Danish data (Debian: tesseract-ocr,
tesseract-ocr-dan). The CLI rather than a Python binding: nothing to pin, and the app still runs,
refusing scanned pages in Danish, where Tesseract is absent."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
from dataclasses import replace
from functools import lru_cache

from core.records import Chunk

log = logging.getLogger(__name__)

LANGUAGE = "dan"
_TIMEOUT_S = 180  # one A4 page at 300 dpi takes seconds; a hung process must not hang an upload


@lru_cache(maxsize=1)
def tesseract_available() -> bool:
    """Whether the tesseract CLI is installed with Danish data."""
    binary = shutil.which("tesseract")
    if binary is None:
        return False
    try:
        listed = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return LANGUAGE in listed.stdout.split()


def page_image(page) -> bytes | None:
    """The page's largest embedded image as PNG (a scan is one image per page), or None."""
    best = None
    try:
        for image in page.images:
            pil = image.image
            if pil is not None and (best is None or pil.width * pil.height > best.width * best.height):
                best = pil
    except Exception as exc:  # noqa: BLE001 - pypdf/Pillow raise many types on odd image streams
        log.warning("could not read the images of a page: %s", exc)
        return None
    if best is None:
        return None
    buffer = io.BytesIO()
    best.convert("L").save(buffer, format="PNG")
    return buffer.getvalue()


def recognise(png: bytes) -> str:
    """Tesseract's text for one page image ("" when it finds none or fails)."""
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", LANGUAGE],
            input=png,
            capture_output=True,
            timeout=_TIMEOUT_S,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("tesseract failed: %s", exc)
        return ""
    if done.returncode != 0:
        log.warning("tesseract failed: %s", done.stderr.decode("utf-8", "replace")[:300])
        return ""
    return done.stdout.decode("utf-8", "replace")


def mark_ocr_chunks(chunks: list[Chunk], pages: list[tuple[int | None, str, bool]]) -> list[Chunk]:
    """Mark the chunks holding text read by OCR: those starting on an OCR'd page, and those that
    run on into one (a sentence of the chunk occurs in an OCR'd page's text)."""
    ocr_pages = {number for number, _, ocr in pages if ocr}
    if not ocr_pages:
        return chunks
    ocr_text = " ".join(" ".join(text.split()) for _, text, ocr in pages if ocr)
    return [
        replace(chunk, ocr=True)
        if chunk.page in ocr_pages or _shares_sentence(chunk.text, ocr_text)
        else chunk
        for chunk in chunks
    ]


def _shares_sentence(text: str, ocr_text: str) -> bool:
    return any(len(line) >= 12 and " ".join(line.split()) in ocr_text for line in text.split("\n"))
