"""The embed step: a vector per sentence and heading, a chunk's vector derived from them."""

from __future__ import annotations

import numpy as np
from langchain_core.embeddings import Embeddings

from core.records import Chunk
from core.vectorstore import HEADING_POSITION
from ingest.embedding import chunk_sentences, embed_chunks


class LetterEmbeddings(Embeddings):
    """A deterministic stand-in whose vector is a text's letter counts (a, e, i, o): enough to
    check which text went where, without a model."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[float(t.count(c)) + 0.1 for c in "aeio"] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def chunk(i: int, text: str, section: str = "13.4 Opsigelsesvarsel") -> Chunk:
    return Chunk(f"c{i}", text, "d.txt", "D", "2017", "aftale", section, None, i, "hash")


def test_every_sentence_and_each_heading_gets_a_record_with_its_position() -> None:
    chunks = [chunk(0, "Første sætning her. Anden sætning der."), chunk(1, "Tredje sætning.")]
    embedded = embed_chunks(LetterEmbeddings(), chunks)
    records = [(r.id, r.metadata["position"], r.text) for r in embedded[0].sentences]
    assert records == [
        ("c0:0", 0, "Første sætning her."),
        ("c0:1", 1, "Anden sætning der."),
        ("c0:h", HEADING_POSITION, "13.4 Opsigelsesvarsel"),
    ]
    assert embedded[1].sentences[0].metadata == {
        "document": "d.txt",
        "doc_hash": "hash",
        "chunk_id": "c1",
        "position": 0,
    }


def test_a_chunks_vector_is_the_normalised_sum_of_its_sentences_and_heading() -> None:
    [one] = embed_chunks(LetterEmbeddings(), [chunk(0, "Aaa. Eee.", "Ooo")])
    total = np.sum([s.vector for s in one.sentences], axis=0)
    assert np.allclose(one.vector, total / np.linalg.norm(total))
    assert abs(np.linalg.norm(one.vector) - 1) < 1e-6


def test_a_chunk_without_a_heading_has_only_its_sentences() -> None:
    [one] = embed_chunks(LetterEmbeddings(), [chunk(0, "Kun en sætning.", section="")])
    assert [s.metadata["position"] for s in one.sentences] == [0]


def test_query_time_splits_sentences_the_way_ingest_did() -> None:
    text = "Taksterne kan ikke stige, jf. afsnit 3. Aftalen gælder i 2 år.\n• Et punkt"
    [one] = embed_chunks(LetterEmbeddings(), [chunk(0, text)])
    assert [s.text for s in one.sentences if s.metadata["position"] != HEADING_POSITION] == chunk_sentences(
        chunk(0, text)
    )


def test_progress_reaches_the_end() -> None:
    seen: list[float] = []
    embed_chunks(
        LetterEmbeddings(), [chunk(i, f"Sætning nummer {i}.") for i in range(70)], lambda f, _: seen.append(f)
    )
    assert seen[-1] == 1.0 and seen == sorted(seen)


def test_no_chunks_embed_to_nothing() -> None:
    assert embed_chunks(LetterEmbeddings(), []) == []
