"""The index step: embed chunks and write them to Chroma so that every document is always either
in its old or its new version (see core/vectorstore.py for the write order)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from core import index_receipt
from core.embeddings import make_embeddings, resolve_model
from core.records import Chunk
from core.registry import DocumentRecord, delete_record, read_registry, write_record
from core.settings import Settings
from core.vectorstore import (
    bump_generation,
    chunk_collection,
    open_client,
    registry_collection,
    sentence_collection,
)
from ingest.embedding import Progress, embed_chunks
from ingest.errors import IngestError
from ingest.loaders import SUPPORTED_SUFFIXES, LoadedDocument, load_bytes, load_document
from ingest.manifest import Manifest, load_manifest
from ingest.prepare import CHUNKING_VERSION, UploadMeta, chunk_document

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # file name -> Danish error message
    chunks_written: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


class Indexer:
    """Writes documents into the Chroma collections named by the settings."""

    def __init__(self, settings: Settings, client=None):
        self.settings = settings
        self.client = client or open_client(settings)
        self.chunks = chunk_collection(self.client, settings)
        self.sentences = sentence_collection(self.client, settings)
        self.registry = registry_collection(self.client, settings)
        self.model = resolve_model(settings)

    def ingest_paths(
        self,
        paths: Iterable[Path],
        progress: Progress | None = None,
        metas: Mapping[str, UploadMeta] | None = None,
    ) -> IngestReport:
        """Ingest files and folders; a bad file is reported and skipped, the rest go in.
        ``metas`` gives uploaded files the metadata their uploader chose."""
        files = expand_paths(paths)
        manifest = load_manifest(self.settings.corpus_dir)
        report = IngestReport()
        started = time.perf_counter()
        # Marked as one write even when nothing changes, so an explicit ingest always renews
        # what cold processes trust (core/index_receipt.py).
        with index_receipt.writing(self.settings):
            for index, path in enumerate(files):
                step = _scaled(progress, index / len(files), (index + 1) / len(files))
                try:
                    document = load_document(path, self.max_bytes)
                    self.ingest_document(document, manifest, report, step, (metas or {}).get(path.name))
                except IngestError as exc:
                    report.failed[path.name] = str(exc)
                    log.warning("ingest failed: %s", exc)
        report.seconds = time.perf_counter() - started
        return report

    def ingest_bytes(
        self, file_name: str, data: bytes, meta: UploadMeta | None = None, progress: Progress | None = None
    ) -> IngestReport:
        """Ingest one uploaded file; bad input ends up in ``report.failed``, never half-indexed."""
        report = IngestReport()
        started = time.perf_counter()
        try:
            document = load_bytes(file_name, data, self.max_bytes)
            self.ingest_document(document, load_manifest(self.settings.corpus_dir), report, progress, meta)
        except IngestError as exc:
            report.failed[file_name] = str(exc)
            log.warning("ingest failed: %s", exc)
        report.seconds = time.perf_counter() - started
        return report

    @property
    def max_bytes(self) -> int:
        return int(self.settings.max_upload_mb * 2**20)

    def ingest_document(
        self,
        document: LoadedDocument,
        manifest: Manifest,
        report: IngestReport,
        progress: Progress | None = None,
        meta: UploadMeta | None = None,
    ) -> None:
        """Add or replace one document; unchanged documents cost one registry lookup (and a
        delete of any chunks a killed run left behind after flipping the registry)."""
        live = read_registry(self.registry)
        current = live.get(document.file_name)
        if current and (current.doc_hash, current.embedding_model, current.chunking) == (
            document.content_hash,
            self.model,
            CHUNKING_VERSION,
        ):
            if meta is None or _meta_matches(current, meta):
                self._delete_other_versions(document.file_name, document.content_hash)
                report.unchanged.append(document.file_name)
                return
        _refuse_duplicate(document, live)
        chunks = chunk_document(document, manifest, meta=meta)
        with index_receipt.writing(self.settings):
            self._delete_leftovers(document.file_name, document.content_hash, {chunk.id for chunk in chunks})
            self._write_chunks(chunks, progress)
            write_record(self.registry, self._record(document, chunks))
            bump_generation(self.client, self.settings)
            self._delete_other_versions(document.file_name, document.content_hash)
        (report.replaced if current else report.added).append(document.file_name)
        report.chunks_written += len(chunks)

    def remove(self, document: str) -> bool:
        """Take a document out of the index: registry first, so readers stop seeing it at once.
        Chunks are deleted even for an unregistered name: a killed run may have left some."""
        registered = document in read_registry(self.registry)
        with index_receipt.writing(self.settings):
            if registered:
                delete_record(self.registry, document)
                bump_generation(self.client, self.settings)
            self.chunks.delete(where={"document": document})
            self.sentences.delete(where={"document": document})
        return registered

    def documents(self) -> list[DocumentRecord]:
        return sorted(read_registry(self.registry).values(), key=lambda r: r.document)

    def _write_chunks(self, chunks: list[Chunk], progress: Progress | None) -> None:
        """Embed, then write in batches: each batch's chunks and their sentence vectors together."""
        batch = max(1, self.settings.embedding_batch_size)
        batches = -(-len(chunks) // batch)
        embedded = embed_chunks(make_embeddings(self.settings), chunks, _scaled(progress, 0.0, 0.9))
        progress = _scaled(progress, 0.9, 1.0)
        for start in range(0, len(chunks), batch):
            part = embedded[start : start + batch]
            self.chunks.upsert(
                ids=[e.chunk.id for e in part],
                embeddings=[e.vector for e in part],
                documents=[e.chunk.text for e in part],
                metadatas=[e.chunk.metadata() for e in part],
            )
            sentences = [s for e in part for s in e.sentences]
            self.sentences.upsert(
                ids=[s.id for s in sentences],
                embeddings=[s.vector for s in sentences],
                documents=[s.text for s in sentences],
                metadatas=[s.metadata for s in sentences],
            )
            log.info("wrote batch %d/%d of %s", start // batch + 1, batches, part[0].chunk.document)
            if progress:
                done = min(len(chunks), start + batch)
                progress(done / len(chunks), f"{part[0].chunk.document}: {done}/{len(chunks)} tekststykker")
            if self.settings.ingest_batch_delay_s:
                time.sleep(self.settings.ingest_batch_delay_s)

    def _delete_leftovers(self, document: str, doc_hash: str, keep: set[str]) -> None:
        """Delete chunks of this very version that the new chunking does not produce: a killed
        run under older splitting code leaves ids that upserting the new ones never overwrites.
        Runs before the write: a new version is not live yet, so readers never see these."""
        where = {"$and": [{"document": document}, {"doc_hash": doc_hash}]}
        stale = [
            chunk_id for chunk_id in self.chunks.get(where=where, include=[])["ids"] if chunk_id not in keep
        ]
        if stale:
            log.info("deleting %d leftover chunks of %s", len(stale), document)
            self.sentences.delete(where={"chunk_id": {"$in": stale}})
            self.chunks.delete(ids=stale)

    def _delete_other_versions(self, document: str, live_hash: str) -> None:
        """Delete the chunks and sentences of every version but the live one.

        Sentences are written after their chunks and deleted before them, so a document without
        another version's chunks has no such sentences either. That lets the common case, an
        unchanged document at every start, cost one chunk lookup: filtering the much larger
        sentence collection took about half a second of a cold ``rammeaftale ask``."""
        where = {"$and": [{"document": document}, {"doc_hash": {"$ne": live_hash}}]}
        if not self.chunks.get(where=where, include=[], limit=1)["ids"]:
            return
        self.sentences.delete(where=where)
        self.chunks.delete(where=where)

    def _record(self, document: LoadedDocument, chunks: list[Chunk]) -> DocumentRecord:
        periods = sorted({chunk.period for chunk in chunks if chunk.period})
        first = chunks[0]
        return DocumentRecord(
            document=document.file_name,
            title=_document_title(document.file_name, chunks),
            period=", ".join(periods),
            doc_type=first.doc_type if len({c.doc_type for c in chunks}) == 1 else "samlet bilag",
            doc_hash=document.content_hash,
            chunks=len(chunks),
            pages=sum(1 for page in document.pages if page.number is not None),
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
            embedding_model=self.model,
            chunking=CHUNKING_VERSION,
        )


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to ingest: the given files, and the supported files inside given folders."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES))
        elif path.exists():
            files.append(path)
        else:
            raise IngestError(f"{path}: filen findes ikke.")
    return files


def _refuse_duplicate(document: LoadedDocument, live: dict[str, DocumentRecord]) -> None:
    for name, record in live.items():
        if record.doc_hash == document.content_hash and name != document.file_name:
            raise IngestError(f"{document.file_name}: dokumentet er allerede indekseret som {name}.")


def _meta_matches(record: DocumentRecord, meta: UploadMeta) -> bool:
    """Whether the live record already carries the metadata the uploader asked for."""
    return (
        (not meta.title or meta.title == record.title)
        and (not meta.period or meta.period == record.period)
        and (not meta.doc_type or meta.doc_type == record.doc_type)
    )


def _document_title(file_name: str, chunks: list[Chunk]) -> str:
    titles = list(dict.fromkeys(chunk.title for chunk in chunks))
    return titles[0] if len(titles) == 1 else " / ".join(titles)


def _scaled(progress: Progress | None, low: float, high: float) -> Progress | None:
    if progress is None:
        return None
    return lambda fraction, text: progress(low + (high - low) * fraction, text)
