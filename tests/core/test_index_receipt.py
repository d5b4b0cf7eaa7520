"""The receipt that lets a cold process skip Chroma: it holds only while nothing could have changed
the registry, and every doubt (a write, a crash mid-write, a new database file, another setup, a
corpus file that changed or changed too recently) means reading Chroma again."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from core import index_receipt
from core.settings import Settings, load_settings

FINGERPRINT = (("aftale.txt", "h1", (("chunks", 3), ("doc_hash", "h1"), ("period", "2025-26"))),)
VERSION = "chunking-1"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "aftale.txt").write_text("Opsigelsesvarslet er løbende måned plus én måned.", encoding="utf-8")
    _age(corpus / "aftale.txt")
    settings = load_settings(data_dir=tmp_path / "data", corpus_dir=corpus)
    settings.chroma_path.mkdir(parents=True)
    (settings.chroma_path / index_receipt.DATABASE_FILE).write_bytes(b"sqlite")
    return settings


def _age(path: Path, seconds: float = 60) -> None:
    """Date a file back, as a corpus file that has sat still for a while."""
    past = time.time() - seconds
    os.utime(path, (past, past))


def _record(settings: Settings, read=lambda: FINGERPRINT) -> bool:
    corpus = index_receipt.corpus_state(settings.corpus_dir)
    return index_receipt.record(settings, corpus, VERSION, read)


def test_a_receipt_vouches_for_what_was_read_until_the_next_write(settings: Settings) -> None:
    assert index_receipt.trusted_fingerprint(settings) is None
    assert _record(settings)
    assert index_receipt.trusted_fingerprint(settings) == FINGERPRINT
    corpus = index_receipt.corpus_state(settings.corpus_dir)
    assert index_receipt.corpus_in_sync(settings, corpus, VERSION)
    assert not index_receipt.corpus_in_sync(settings, corpus, "chunking-2")  # new ingest code re-chunks
    with index_receipt.writing(settings):
        assert index_receipt.trusted_fingerprint(settings) is None
    assert index_receipt.trusted_fingerprint(settings) is None  # a finished write does not revive it


def test_a_write_during_the_read_leaves_no_receipt(settings: Settings) -> None:
    def read_while_another_process_writes() -> tuple:
        with index_receipt.writing(settings):
            pass
        return FINGERPRINT

    assert not _record(settings, read_while_another_process_writes)
    assert index_receipt.trusted_fingerprint(settings) is None


def test_a_write_that_never_finished_blocks_receipts_until_the_next_one(settings: Settings) -> None:
    assert _record(settings)
    killed = index_receipt.writing(settings)
    killed.__enter__()  # the process dies here: "writing" is never taken back
    assert index_receipt.trusted_fingerprint(settings) is None
    assert not _record(settings)
    with index_receipt.writing(settings):  # the next ingest finishes what it started
        pass
    assert _record(settings) and index_receipt.trusted_fingerprint(settings) == FINGERPRINT


def test_a_write_that_fails_still_ends_every_older_receipt(settings: Settings) -> None:
    assert _record(settings)
    with pytest.raises(RuntimeError), index_receipt.writing(settings):
        raise RuntimeError("Chroma failed half-way")
    assert index_receipt.trusted_fingerprint(settings) is None


def test_a_changed_corpus_file_is_no_longer_in_sync(settings: Settings) -> None:
    assert _record(settings)
    corpus_file = settings.corpus_dir / "aftale.txt"
    corpus_file.write_text("Opsigelsesvarslet er tre måneder.", encoding="utf-8")
    _age(corpus_file, 30)
    state = index_receipt.corpus_state(settings.corpus_dir)
    assert not index_receipt.corpus_in_sync(settings, state, VERSION)
    assert index_receipt.trusted_fingerprint(settings) == FINGERPRINT  # the index itself is unchanged
    (settings.corpus_dir / "ny-aftale.txt").write_text("Ny aftale.", encoding="utf-8")
    assert index_receipt.corpus_state(settings.corpus_dir) != state


def test_a_corpus_file_changed_just_now_is_not_vouched_for(settings: Settings) -> None:
    """Within the file system's timestamp tick a second edit of the same size would go unseen."""
    (settings.corpus_dir / "aftale.txt").write_text("Opsigelsesvarslet er to måneder.", encoding="utf-8")
    assert not _record(settings)
    _age(settings.corpus_dir / "aftale.txt", index_receipt.SETTLE_SECONDS + 1)
    assert _record(settings)


def test_a_corpus_change_while_it_was_ingested_leaves_no_receipt(settings: Settings) -> None:
    before = index_receipt.corpus_state(settings.corpus_dir)

    def read_after_the_file_changed() -> tuple:
        (settings.corpus_dir / "aftale.txt").write_text("Ændret under indlæsningen.", encoding="utf-8")
        _age(settings.corpus_dir / "aftale.txt", 30)
        return FINGERPRINT

    assert not index_receipt.record(settings, before, VERSION, read_after_the_file_changed)


def test_another_database_file_or_setup_is_not_vouched_for(settings: Settings) -> None:
    assert _record(settings)
    assert index_receipt.trusted_fingerprint(load_settings(**_same(settings), collection="andre")) is None
    assert (
        index_receipt.trusted_fingerprint(load_settings(**_same(settings), embedding_model="minilm")) is None
    )
    database = settings.chroma_path / index_receipt.DATABASE_FILE
    database.rename(database.with_suffix(".old"))
    (settings.chroma_path / index_receipt.DATABASE_FILE).write_bytes(b"restored from a backup")
    assert index_receipt.trusted_fingerprint(settings) is None
    database.with_suffix(".old").unlink()
    (settings.chroma_path / index_receipt.DATABASE_FILE).unlink()
    assert index_receipt.trusted_fingerprint(settings) is None


def test_a_server_is_never_vouched_for(settings: Settings) -> None:
    server = load_settings(**_same(settings), chroma_mode="server")
    assert not _record(server)
    assert _record(settings)
    assert index_receipt.trusted_fingerprint(server) is None


def test_a_damaged_receipt_means_reading_the_index(settings: Settings) -> None:
    assert _record(settings)
    (settings.data_dir / index_receipt.RECEIPT_FILE).write_text('{"fingerprint": [', encoding="utf-8")
    assert index_receipt.trusted_fingerprint(settings) is None


def test_a_write_that_cannot_be_marked_does_not_start(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("x")
    with pytest.raises(OSError), index_receipt.writing(load_settings(data_dir=blocked)):
        pytest.fail("the write went ahead unmarked")


def _same(settings: Settings) -> dict:
    return {"data_dir": settings.data_dir, "corpus_dir": settings.corpus_dir}
