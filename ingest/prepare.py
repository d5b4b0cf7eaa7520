"""load -> clean -> split for one file: pure apart from reading the file."""

from __future__ import annotations

from pathlib import Path

from core.records import Chunk
from ingest.cleaning import clean_text
from ingest.errors import IngestError
from ingest.loaders import LoadedDocument, load_bytes
from ingest.manifest import Manifest, parts_for
from ingest.splitting import DEFAULT_MAX_CHARS, assign_parts, split_part


def chunk_document(doc: LoadedDocument, manifest: Manifest, max_chars: int = DEFAULT_MAX_CHARS) -> list[Chunk]:
    """Clean every page and split the document into cited chunks."""
    pages = [(page.number, clean_text(page.text, markdown=doc.markdown)) for page in doc.pages]
    full_text = "\n".join(text for _, text in pages)
    parts = parts_for(manifest, doc.file_name, full_text)
    chunks: list[Chunk] = []
    for part in assign_parts(doc.file_name, doc.content_hash, pages, parts):
        chunks.extend(split_part(part, first_ordinal=len(chunks), max_chars=max_chars))
    if not chunks:
        raise IngestError(f"{doc.file_name}: dokumentet indeholder ingen tekst, der kan indekseres.")
    return chunks


def chunk_file(path: Path, manifest: Manifest, max_chars: int = DEFAULT_MAX_CHARS) -> list[Chunk]:
    return chunk_document(load_bytes(path.name, path.read_bytes()), manifest, max_chars)
