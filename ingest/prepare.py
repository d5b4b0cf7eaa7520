"""load -> clean -> split for one file: pure apart from reading the file."""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path

import core.records
import core.text
from core.digest import source_digest
from core.records import Chunk
from ingest import cleaning, loaders, manifest, ocr, pdf_layout, pdf_text, splitting
from ingest.cleaning import clean_text, rejoin_split_words
from ingest.errors import IngestError
from ingest.loaders import LoadedDocument, load_bytes
from ingest.manifest import Manifest, PartSpec, parts_for
from ingest.ocr import mark_ocr_chunks
from ingest.splitting import DEFAULT_MAX_CHARS, assign_parts, split_part

# The modules whose code decides a document's chunks. Their source's digest is stored with each
# indexed document, so an install whose cleaning or splitting changed re-chunks its documents
# instead of answering from chunks the old code cut (a hand-bumped version number gets forgotten).
_CHUNKING_MODULES = (
    cleaning,
    loaders,
    manifest,
    ocr,
    pdf_layout,
    pdf_text,
    splitting,
    core.records,
    core.text,
)
CHUNKING_VERSION = source_digest(*_CHUNKING_MODULES, sys.modules[__name__])[:16]


@dataclass(frozen=True)
class UploadMeta:
    """What the person uploading a document says it is. Empty fields fall back to the manifest
    or to what is detected from the text, so a user can correct just the title."""

    title: str = ""
    period: str | None = None
    doc_type: str = ""

    def apply(self, spec: PartSpec) -> PartSpec:
        return replace(
            spec,
            title=self.title or spec.title,
            period=self.period or spec.period,
            doc_type=self.doc_type or spec.doc_type,
        )


def chunk_document(
    doc: LoadedDocument,
    manifest: Manifest,
    max_chars: int = DEFAULT_MAX_CHARS,
    meta: UploadMeta | None = None,
) -> list[Chunk]:
    """Clean every page and split the document into cited chunks."""
    raw = [page.text for page in doc.pages]
    cleaned = rejoin_split_words([clean_text(text, markdown=doc.markdown) for text in raw], raw)
    pages = [(page.number, text) for page, text in zip(doc.pages, cleaned)]
    full_text = "\n".join(text for _, text in pages)
    parts = parts_for(manifest, doc.file_name, full_text)
    if meta is not None:
        parts = tuple(meta.apply(part) for part in parts)
    chunks: list[Chunk] = []
    ocr_pages = frozenset(page.number for page in doc.pages if page.ocr and page.number)
    for part in assign_parts(doc.file_name, doc.content_hash, pages, parts, doc.laid_out, ocr_pages):
        chunks.extend(split_part(part, first_ordinal=len(chunks), max_chars=max_chars))
    if any(page.ocr for page in doc.pages):
        read = [(number, text, page.ocr) for (number, text), page in zip(pages, doc.pages)]
        chunks = mark_ocr_chunks(chunks, read)
    if not chunks:
        raise IngestError(f"{doc.file_name}: dokumentet indeholder ingen tekst, der kan indekseres.")
    return chunks


def chunk_file(path: Path, manifest: Manifest, max_chars: int = DEFAULT_MAX_CHARS) -> list[Chunk]:
    return chunk_document(load_bytes(path.name, path.read_bytes()), manifest, max_chars)
