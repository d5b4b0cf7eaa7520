"""Eight question streams and ingests against one index, through one shared Assistant (as the
Streamlit sessions share it): no errors, no duplicate chunks, every document whole."""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.records import Answer
from core.settings import PROJECT_ROOT, load_settings
from ingest.prepare import UploadMeta

pytestmark = pytest.mark.integration

STREAMS = 8
QUESTIONS = (
    "Hvad er opsigelsesvarslet?",
    "Hvad er betalingsfristen for regninger?",
    "Hvordan reguleres taksterne?",
    "Hvem fører tilsyn med botilbuddene?",
    "Hvor parkerer jeg bilen?",
)
DOCS = {
    "opsigelse.txt": "Opsigelse\n\nOpsigelsesvarslet for en plads er seks måneder fra udgangen af en måned.\n",
    "betaling.txt": "Betaling\n\nBetalingsfristen for regninger mellem kommunerne er 30 dage.\n",
    "takster.txt": "Takster\n\nTaksterne reguleres årligt med pris- og lønfremskrivningen.\n",
}


def long_doc(subject: str, sections: int) -> str:
    return "\n".join(
        f"{i}.1 {subject} {i}\n\n"
        + f"Tilsynet med botilbud i område {i} sker efter reglerne om {subject}. " * 5
        for i in range(1, sections + 1)
    )


@pytest.fixture
def assistant(tmp_path: Path):
    from assistant.api import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(PROJECT_ROOT / "corpus" / "rules.yaml", corpus / "rules.yaml")
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = load_settings(data_dir=tmp_path / "data", corpus_dir=corpus, embedding_batch_size=4)
    assistant = Assistant.open(settings)
    assert assistant.documents.reindex().ok
    return assistant


def ask_until(assistant, stop: threading.Event, stream: int) -> list[Answer]:
    """One user's session: keep asking until the writers are done (and at least a full round)."""
    answers: list[Answer] = []
    while not stop.is_set() or len(answers) < len(QUESTIONS):
        answers.append(assistant.ask(QUESTIONS[(stream + len(answers)) % len(QUESTIONS)]))
    return answers


def write_while_reading(assistant, corpus: Path) -> None:
    """Add, replace, re-describe and remove documents, from two writer threads at once."""

    def uploads() -> None:
        assert assistant.documents.ingest_upload(
            "tilsyn.txt", long_doc("tilsyn", 12).encode(), UploadMeta(title="Tilsyn")
        ).ok
        assert assistant.documents.ingest_upload("tilsyn.txt", long_doc("tilsyn", 8).encode()).replaced == [
            "tilsyn.txt"
        ]

    def corpus_changes() -> None:
        (corpus / "takster.txt").write_text(DOCS["takster.txt"] + long_doc("takster", 10), encoding="utf-8")
        assert assistant.documents.reindex().replaced == ["takster.txt"]
        assert assistant.documents.ingest_upload("midlertidig.md", b"# Midlertidig\n\nSlettes igen.\n").ok
        assert assistant.documents.remove("midlertidig.md")

    with ThreadPoolExecutor(2) as writers:
        for future in [writers.submit(uploads), writers.submit(corpus_changes)]:
            future.result()


def test_eight_streams_and_ingest_share_one_index(assistant) -> None:
    stop = threading.Event()
    with ThreadPoolExecutor(STREAMS) as pool:
        readers = [pool.submit(ask_until, assistant, stop, i) for i in range(STREAMS)]
        try:
            write_while_reading(assistant, assistant.settings.corpus_dir)
        finally:
            stop.set()
        answers = [answer for future in readers for answer in future.result()]  # re-raises any error

    assert len(answers) >= STREAMS * len(QUESTIONS)
    known = set(DOCS) | {"tilsyn.txt", "midlertidig.md"}
    assert all(c.document in known for a in answers for c in a.citations)
    assert_index_whole(assistant)
    final = assistant.ask("Hvad er opsigelsesvarslet?")
    assert not final.abstained and "seks måneder" in final.answer


def assert_index_whole(assistant) -> None:
    """No duplicate chunk ids; each document's stored chunks are exactly its live version's."""
    records = {r.document: r for r in assistant.documents.indexed()}
    stored = assistant.documents.indexer().chunks.get(include=["metadatas"])
    ids = stored["ids"]
    assert len(ids) == len(set(ids))
    assert set(records) == set(DOCS) | {"tilsyn.txt"}
    for name, record in records.items():
        metas = [m for m in stored["metadatas"] if m["document"] == name]
        assert len(metas) == record.chunks and {m["doc_hash"] for m in metas} == {record.doc_hash}
        assert sorted(m["ordinal"] for m in metas) == list(range(record.chunks))
    assert len(ids) == sum(r.chunks for r in records.values())
    snapshot = assistant.retriever.snapshot()
    assert sorted(c.id for c in snapshot.lexical.chunks) == sorted(ids)
