"""Read PDF, .txt and .md files into pages of raw text (no cleaning here)."""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import IngestError
from ingest.ocr import page_image, recognise, tesseract_available
from ingest.pdf_layout import lay_out, paragraphs_from_plain
from ingest.pdf_text import page_runs

log = logging.getLogger(__name__)

# Part of every document version's hash: bump it when cleaning or splitting changes, so the next
# ingest replaces chunks made the old way instead of calling the document unchanged.
INDEX_FORMAT = "rammeaftale-index-7\n"  # 7: sentence vectors beside the chunks
# Added to a PDF's hash only, so PDF ingest can change without touching the text corpus's chunk ids.
PDF_FORMAT = "pdf-layout-1\n"  # 1: headers/footers by repetition, columns, tables, OCR

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md")

# In the text extractions a line starting with exactly one space opens a new PDF page.
_PAGE_MARKER = re.compile(r"^ (?! )\S")
_MAX_NAME_CHARS = 200
# A drive letter ("C:"), a separator or a control character means the name carries a path.
_PATH_LIKE = re.compile(r"^[A-Za-z]:|[/\\\x00-\x1f\x7f]")
# Binary formats people mistake for text, by their first bytes (the message names the real type).
_MAGIC = (
    (b"%PDF", "en PDF"),
    (b"PK\x03\x04", "en ZIP-fil (fx et Word- eller Excel-dokument)"),
    (b"\x89PNG", "et PNG-billede"),
    (b"\xff\xd8\xff", "et JPEG-billede"),
    (b"\xd0\xcf\x11\xe0", "et gammelt Office-dokument (.doc/.xls)"),
)


@dataclass(frozen=True)
class Page:
    number: int | None  # 1-based PDF page; None when the source has no pages
    text: str
    ocr: bool = False  # read by Tesseract from a scanned page


@dataclass(frozen=True)
class LoadedDocument:
    file_name: str
    pages: tuple[Page, ...]
    content_hash: str  # of the raw bytes: identifies a document version
    markdown: bool
    laid_out: bool = False  # a PDF: paragraphs are one line each and a blank line ends one

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)


def load_document(path: Path, max_bytes: int | None = None) -> LoadedDocument:
    """Load one file; raise IngestError with a Danish message for anything unreadable.

    The size is checked before reading, so an oversized file is never pulled into memory."""
    try:
        if max_bytes is not None:
            check_size(path.name, path.stat().st_size, max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path.name}: filen kan ikke læses ({exc.strerror or exc}).") from exc
    return load_bytes(path.name, data, max_bytes)


def load_bytes(file_name: str, data: bytes, max_bytes: int | None = None) -> LoadedDocument:
    """Load a document from memory (uploads arrive this way). Every check that can refuse a
    document runs here, before anything touches the index."""
    file_name = check_file_name(file_name)
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(
            f"{file_name}: filtypen {suffix or '(ingen)'} understøttes ikke. "
            f"Brug {', '.join(SUPPORTED_SUFFIXES)}."
        )
    if max_bytes is not None:
        check_size(file_name, len(data), max_bytes)
    if not data.strip():
        raise IngestError(f"{file_name}: filen er tom.")
    if suffix == ".pdf":
        content_hash = hashlib.sha256(INDEX_FORMAT.encode() + PDF_FORMAT.encode() + data).hexdigest()
        return LoadedDocument(
            file_name, tuple(_pdf_pages(file_name, data)), content_hash, False, laid_out=True
        )
    content_hash = hashlib.sha256(INDEX_FORMAT.encode() + data).hexdigest()
    pages = _text_pages(file_name, data, paged=suffix == ".txt")
    return LoadedDocument(file_name, tuple(pages), content_hash, markdown=suffix == ".md")


def check_file_name(file_name: str) -> str:
    """The name a document is stored and cited under. A name that carries a path ("../x.txt",
    "/etc/x.txt", "C:\\x.txt") is refused rather than trimmed, so the user sees why."""
    name = unicodedata.normalize("NFC", file_name or "").strip()
    if not name or name in (".", "..") or _PATH_LIKE.search(name) or name.startswith("."):
        raise IngestError(
            f"Filnavnet {file_name!r} er ugyldigt: det må ikke indeholde mapper eller stier "
            "(/, \\, ..) og må ikke starte med et punktum. Omdøb filen og prøv igen."
        )
    if len(name) > _MAX_NAME_CHARS:
        raise IngestError(f"Filnavnet er for langt ({len(name)} tegn; højst {_MAX_NAME_CHARS}).")
    return name


def check_size(file_name: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise IngestError(
            f"{file_name}: filen fylder {human_size(size)}; grænsen er {human_size(max_bytes)}."
        )


def human_size(size: int) -> str:
    """Danish file size: "51 KB", "25,0 MB" (decimal comma)."""
    if size < 2**20:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 2**20:.1f} MB".replace(".", ",")


def _pdf_pages(file_name: str, data: bytes) -> list[Page]:
    from pypdf import PdfReader

    if b"%PDF-" not in data[:1024]:
        raise IngestError(f"{file_name}: filen har endelsen .pdf, men er ikke en PDF-fil.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise IngestError(
                f"{file_name}: PDF-filen er krypteret (beskyttet med adgangskode) og kan ikke læses. "
                "Gem en udgave uden kryptering og prøv igen."
            )
        runs = [page_runs(page) for page in reader.pages]
        texts = lay_out(runs)
        pages = [Page(i + 1, text) for i, text in enumerate(texts)]
        pages = _read_scanned(file_name, reader, pages)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types (struct, zlib, Index…) on damage
        raise IngestError(
            f"{file_name}: PDF-filen er beskadiget og kan ikke læses. Gem eller eksportér den igen "
            f"og prøv på ny (teknisk detalje: {exc})."
        ) from exc
    if not any(page.text.strip() for page in pages):
        hint = "" if tesseract_available() else " (Tesseract med dansk sprogdata er ikke installeret.)"
        raise IngestError(
            f"{file_name}: PDF-filen har ikke noget tekstlag (scannet?). Den skal OCR-behandles først.{hint}"
        )
    return pages


def _read_scanned(file_name: str, reader, pages: list[Page]) -> list[Page]:
    """OCR the pages without a text layer when Tesseract is installed; without it they stay empty
    (a document of only such pages is then refused in Danish)."""
    blank = [index for index, page in enumerate(pages) if not page.text.strip()]
    if not blank:
        return pages
    if not tesseract_available():
        log.warning("%s: %d pages without text and no Tesseract to read them", file_name, len(blank))
        return pages
    read = list(pages)
    for index in blank:
        image = page_image(reader.pages[index])
        text = paragraphs_from_plain(recognise(image)) if image else ""
        if text.strip():
            read[index] = Page(index + 1, text, ocr=True)
    return read


def _text_pages(file_name: str, data: bytes, *, paged: bool) -> list[Page]:
    head = data.lstrip()[:8]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise IngestError(f"{file_name}: filen er {kind}, men har endelsen {Path(file_name).suffix}.")
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
