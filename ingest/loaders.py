"""Read PDF, .txt and .md files into pages of raw text (no cleaning here)."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import IngestError

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md")

# In the text extractions a line starting with exactly one space opens a new PDF page.
_PAGE_MARKER = re.compile(r"^ (?! )\S")


@dataclass(frozen=True)
class Page:
    number: int | None  # 1-based PDF page; None when the source has no pages
    text: str


@dataclass(frozen=True)
class LoadedDocument:
    file_name: str
    pages: tuple[Page, ...]
    content_hash: str  # of the raw bytes: identifies a document version
    markdown: bool

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)


def load_document(path: Path) -> LoadedDocument:
    """Load one file; raise IngestError with a Danish message for anything unreadable."""
    return load_bytes(path.name, path.read_bytes())


def load_bytes(file_name: str, data: bytes) -> LoadedDocument:
    """Load a document from memory (uploads arrive this way)."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(
            f"{file_name}: filtypen {suffix or '(ingen)'} understøttes ikke. "
            f"Brug {', '.join(SUPPORTED_SUFFIXES)}."
        )
    if not data.strip():
        raise IngestError(f"{file_name}: filen er tom.")
    content_hash = hashlib.sha256(data).hexdigest()
    if suffix == ".pdf":
        pages = _pdf_pages(file_name, data)
    else:
        pages = _text_pages(file_name, data, paged=suffix == ".txt")
    return LoadedDocument(file_name, tuple(pages), content_hash, markdown=suffix == ".md")


def _pdf_pages(file_name: str, data: bytes) -> list[Page]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise IngestError(f"{file_name}: PDF-filen er krypteret og kan ikke læses.")
        pages = [Page(i + 1, page.extract_text() or "") for i, page in enumerate(reader.pages)]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(f"{file_name}: PDF-filen er beskadiget og kan ikke læses ({exc}).") from exc
    if not any(page.text.strip() for page in pages):
        raise IngestError(
            f"{file_name}: PDF-filen har ikke noget tekstlag (scannet?). Den skal OCR-behandles først."
        )
    return pages


def _text_pages(file_name: str, data: bytes, *, paged: bool) -> list[Page]:
    if data.startswith(b"%PDF"):
        raise IngestError(f"{file_name}: filen er en PDF, men har endelsen {Path(file_name).suffix}.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{file_name}: teksten er ikke UTF-8 (byte {exc.start}). Gem filen som UTF-8 og prøv igen."
        ) from exc
    if "\x00" in text:
        raise IngestError(f"{file_name}: filen ser ud til at være binær, ikke tekst.")
    lines = text.replace("\r\n", "\n").split("\n")
    if not paged or sum(bool(_PAGE_MARKER.match(line)) for line in lines) < 2:
        return [Page(None, text)]
    return _split_marked_pages(lines)


def _split_marked_pages(lines: list[str]) -> list[Page]:
    pages: list[Page] = []
    current: list[str] = []
    for line in lines:
        if _PAGE_MARKER.match(line) and any(part.strip() for part in current):
            pages.append(Page(len(pages) + 1, "\n".join(current)))
            current = []
        current.append(line)
    pages.append(Page(len(pages) + 1, "\n".join(current)))
    return pages
