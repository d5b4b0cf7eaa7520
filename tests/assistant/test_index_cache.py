"""The index's contents kept on disk between processes: used only for the documents, vocabulary and
code they were built for, and never an error when missing, stale or damaged."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval import index_cache
from assistant.retrieval.index_contents import IndexContents, read_contents
from assistant.retrieval.lexical import LexicalIndex, vocabulary_of
from assistant.retrieval.retriever import Retriever
from assistant.retrieval.sentence_vectors import SentenceVectors
from assistant.understanding.danish import Analyzer
from assistant.understanding.query import QueryExpander, QueryVocabulary
from core.records import Chunk
from core.settings import Settings

VOCABULARY = QueryVocabulary()


def built(texts: list[str]) -> IndexContents:
    chunks = [
        Chunk(f"c{i}", text, "d.txt", "D", "2017", "aftale", "", None, i, "h") for i, text in enumerate(texts)
    ]
    words = vocabulary_of(chunks)
    index = LexicalIndex(chunks, Analyzer(words))
    expander = QueryExpander(index.analyzer, VOCABULARY, words, set(index.idf))
    vectors = np.eye(len(chunks), 4, dtype=np.float32)
    return IndexContents(index, expander, SentenceVectors(), vectors, np.asarray(["2017"] * len(chunks)))


def test_an_index_is_read_back_for_its_own_key_only(tmp_path: Path) -> None:
    key = index_cache.cache_key((("d.txt", "h", ()),), VOCABULARY)
    index_cache.save(tmp_path, key, built(["Opsigelsesvarslet er løbende måned plus én måned."]))
    loaded = index_cache.load(tmp_path, key)
    assert loaded is not None and [c.text for c in loaded.lexical.chunks] == [
        "Opsigelsesvarslet er løbende måned plus én måned."
    ]
    other_documents = index_cache.cache_key((("d.txt", "h2", ()),), VOCABULARY)
    assert index_cache.load(tmp_path, other_documents) is None


def test_a_missing_or_damaged_file_means_rebuild_not_error(tmp_path: Path) -> None:
    assert index_cache.load(tmp_path, "key") is None
    (tmp_path / index_cache.CACHE_FILE).write_bytes(b"\x80\x05 not a whole pickle")
    assert index_cache.load(tmp_path, "key") is None


def test_an_unwritable_folder_only_costs_speed(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    index_cache.save(blocked, "key", built(["Taksterne kan ikke stige."]))  # no exception
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.integration
def test_a_second_process_answers_from_the_cached_index_alike(
    indexed_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    question = "Hvad er opsigelsesvarslet?"
    first = Retriever(indexed_settings)
    expected = [h.chunk.id for h in first.search(question)]
    assert (indexed_settings.data_dir / index_cache.CACHE_FILE).is_file()
    with caplog.at_level(logging.INFO, logger="assistant.retrieval.index_contents"):
        second = Retriever(indexed_settings)
        assert [h.chunk.id for h in second.search(question)] == expected
    assert "lexical index built" not in caplog.text
    # Against the index itself, not against ``first``: that one may have read the file too.
    kept = second.snapshot()
    live_hashes = tuple(entry[1] for entry in kept.fingerprint)
    read = read_contents(first.collection, first.sentences, live_hashes, first.query_vocabulary)
    assert [c.id for c in kept.lexical.chunks] == [c.id for c in read.lexical.chunks]
    assert np.array_equal(kept.vectors, read.vectors) and list(kept.periods) == list(read.periods)
    assert kept.sentences.by_chunk.keys() == read.sentences.by_chunk.keys()
