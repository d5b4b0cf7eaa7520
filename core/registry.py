"""The document registry: which version (content hash) of each document is live, and its
metadata for the documents page. Written by ingest, read by the assistant."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

_PLACEHOLDER_EMBEDDING = [1.0]  # the registry is looked up by id, never by similarity


@dataclass(frozen=True)
class DocumentRecord:
    document: str  # file name under corpus/ (or as uploaded)
    title: str
    period: str  # "" when unknown; several parts' periods joined by ", "
    doc_type: str
    doc_hash: str
    chunks: int
    pages: int  # 0 when the source has no pages
    ingested_at: str  # ISO 8601, UTC
    embedding_model: str
    chunking: str = ""  # the ingest code's version (ingest.prepare.CHUNKING_VERSION) that cut the chunks

    def metadata(self) -> dict[str, str | int]:
        return {key: value for key, value in asdict(self).items() if key != "document"}


def read_registry(collection: Collection) -> dict[str, DocumentRecord]:
    """All live documents by name."""
    result = collection.get(include=["metadatas"])
    records = {}
    for doc_id, meta in zip(result["ids"], result["metadatas"] or []):
        # a field an older install did not write reads as empty: that document is re-chunked
        records[doc_id] = DocumentRecord(document=doc_id, **{k: meta.get(k, "") for k in _FIELDS})
    return records


def write_record(collection: Collection, record: DocumentRecord) -> None:
    """Make ``record`` the live version of its document (a single-record upsert)."""
    collection.upsert(
        ids=[record.document],
        embeddings=[_PLACEHOLDER_EMBEDDING],
        metadatas=[record.metadata()],
        documents=[record.title],
    )


def delete_record(collection: Collection, document: str) -> None:
    collection.delete(ids=[document])


def registry_fingerprint(records: dict[str, DocumentRecord]) -> tuple[tuple[str, str, tuple], ...]:
    """(name, doc_hash, all metadata) per document: changes whenever a document is added, replaced,
    re-described (same content, new title or period) or removed; the lexical index keys on it."""
    return tuple(
        sorted((name, r.doc_hash, tuple(sorted(r.metadata().items()))) for name, r in records.items())
    )


def records_of(fingerprint: tuple[tuple[str, str, tuple], ...]) -> list[DocumentRecord]:
    """The records a fingerprint was made from (it keeps every field), by name."""
    return [DocumentRecord(document=name, **dict(metadata)) for name, _hash, metadata in fingerprint]


_FIELDS = [name for name in DocumentRecord.__dataclass_fields__ if name != "document"]
