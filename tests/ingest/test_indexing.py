"""Indexing into a real embedded Chroma with the real embedding model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from core.registry import read_registry, write_record
from core.settings import load_settings
from ingest.indexing import Indexer
from ingest.prepare import CHUNKING_VERSION

pytestmark = pytest.mark.integration

DOC_V1 = (
    "Rammeaftale 2025-2026\n\nTaksterne kan ikke stige i perioden 2025-2026.\n\nOpsigelse sker skriftligt.\n"
)
DOC_V2 = "Rammeaftale 2025-2026\n\nTaksterne skal falde med 1 procent i perioden 2025-2026.\n"


def all_chunks(indexer: Indexer) -> dict[str, dict]:
    result = indexer.chunks.get(include=["metadatas"])
    return dict(zip(result["ids"], result["metadatas"]))


def all_sentences(indexer: Indexer) -> dict[str, dict]:
    result = indexer.sentences.get(include=["metadatas"])
    return dict(zip(result["ids"], result["metadatas"]))


@pytest.fixture
def indexer(tmp_path: Path) -> Indexer:
    return Indexer(load_settings(data_dir=tmp_path / "idx", corpus_dir=tmp_path / "corpus"))


def test_reingest_is_idempotent(indexer: Indexer, tmp_path: Path) -> None:
    path = tmp_path / "aftale.txt"
    path.write_text(DOC_V1, encoding="utf-8")
    first = indexer.ingest_paths([path])
    ids = set(all_chunks(indexer))
    second = indexer.ingest_paths([path])
    assert first.added == ["aftale.txt"] and second.unchanged == ["aftale.txt"]
    assert set(all_chunks(indexer)) == ids and len(ids) == first.chunks_written


def test_chunks_cut_by_other_ingest_code_are_cut_again(indexer: Indexer, tmp_path: Path) -> None:
    """An upgrade whose cleaning or splitting changed must not keep answering from the old chunks,
    although the document's file is the same."""
    path = tmp_path / "aftale.txt"
    path.write_text(DOC_V1, encoding="utf-8")
    indexer.ingest_paths([path])
    old = read_registry(indexer.registry)["aftale.txt"]
    write_record(indexer.registry, replace(old, chunking="cut-by-older-code"))
    again = indexer.ingest_paths([path])
    assert again.replaced == ["aftale.txt"] and not again.unchanged
    assert read_registry(indexer.registry)["aftale.txt"].chunking == CHUNKING_VERSION
    assert len(all_chunks(indexer)) == old.chunks


def test_changed_document_replaces_its_chunks(indexer: Indexer, tmp_path: Path) -> None:
    path = tmp_path / "aftale.txt"
    path.write_text(DOC_V1, encoding="utf-8")
    indexer.ingest_paths([path])
    old_ids = set(all_chunks(indexer))
    path.write_text(DOC_V2, encoding="utf-8")
    report = indexer.ingest_paths([path])
    chunks = all_chunks(indexer)
    assert report.replaced == ["aftale.txt"]
    assert not old_ids & set(chunks)
    assert {meta["doc_hash"] for meta in chunks.values()} == {indexer.documents()[0].doc_hash}


def test_duplicate_content_under_another_name_is_refused(indexer: Indexer, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DOC_V1, encoding="utf-8")
    (tmp_path / "kopi.txt").write_text(DOC_V1, encoding="utf-8")
    report = indexer.ingest_paths([tmp_path / "a.txt", tmp_path / "kopi.txt"])
    assert report.added == ["a.txt"] and "allerede indekseret som a.txt" in report.failed["kopi.txt"]
    assert [r.document for r in indexer.documents()] == ["a.txt"]


def test_remove_takes_document_and_chunks_out(indexer: Indexer, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DOC_V1, encoding="utf-8")
    indexer.ingest_paths([tmp_path / "a.txt"])
    assert indexer.remove("a.txt") and not indexer.remove("a.txt")
    assert indexer.documents() == [] and all_chunks(indexer) == {}


def test_sentence_vectors_live_and_die_with_their_chunks(indexer: Indexer, tmp_path: Path) -> None:
    path = tmp_path / "aftale.txt"
    path.write_text(DOC_V1, encoding="utf-8")
    indexer.ingest_paths([path])
    sentences = all_sentences(indexer)
    assert sentences and {meta["chunk_id"] for meta in sentences.values()} == set(all_chunks(indexer))
    path.write_text(DOC_V2, encoding="utf-8")
    indexer.ingest_paths([path])  # a new version replaces the old one's sentences too
    live = indexer.documents()[0].doc_hash
    assert {meta["doc_hash"] for meta in all_sentences(indexer).values()} == {live}
    indexer.remove("aftale.txt")
    assert all_sentences(indexer) == {}
