"""An ingest killed with SIGKILL leaves every document at its old or its new version, never a mix,
and the next run completes it. Real subprocesses of the CLI over an embedded Chroma in a temp dir."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, load_settings
from ingest.loaders import load_bytes
from ingest.manifest import Manifest
from ingest.prepare import chunk_document

pytestmark = pytest.mark.integration

KILL_AT = "wrote batch 3/"

# What a fresh process sees: registry, every stored chunk, and what a real reader (Retriever) serves.
DUMP_STATE = """
import json
from assistant.retrieval.retriever import Retriever
from core.registry import read_registry
from core.settings import load_settings

retriever = Retriever(load_settings())
stored = retriever.collection.get(include=["metadatas"])
print(json.dumps({
    "registry": {n: [r.doc_hash, r.chunks] for n, r in read_registry(retriever.registry).items()},
    "chunks": [[i, m["document"], m["doc_hash"]] for i, m in zip(stored["ids"], stored["metadatas"])],
    "visible": [[c.id, c.document, c.doc_hash] for c in retriever.snapshot().lexical.chunks],
    "dense": [h.chunk.id for h in retriever.search("takster for pladser", k=3)],
}))
"""


def agreement(version: str, sections: int) -> str:
    """A document long enough to take many embedding batches; each version's text differs."""
    body = []
    for i in range(1, sections + 1):
        sentence = f"Taksten for pladser i afsnit {i} fastsættes efter version {version} af aftalen. "
        body.append(f"{i}.1 Takster i område {i}\n\n" + sentence * 6 + "\n")
    return f"Rammeaftale {version}\n\n" + "\n".join(body)


def expected_ids(name: str, text: str) -> set[str]:
    return {chunk.id for chunk in chunk_document(load_bytes(name, text.encode()), Manifest())}


def cli_env(root: Path, **extra: str) -> dict[str, str]:
    return {
        "RAMME_DATA_DIR": str(root / "data"),
        "RAMME_CORPUS_DIR": str(root / "corpus"),
        "RAMME_EMBEDDING_BATCH_SIZE": "4",
        "PATH": "/usr/bin:/bin",
        "HOME": str(root),
        **extra,
    }


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rammeaftale", *args],
        capture_output=True,
        text=True,
        env=cli_env(root),
        timeout=300,
    )


def ingest_until_killed(root: Path, *paths: Path) -> list[str]:
    """Start an ingest that pauses after each batch and SIGKILL it once a few batches of the
    last file are in Chroma. Returns the stderr lines seen."""
    env = cli_env(root, RAMME_INGEST_BATCH_DELAY_S="0.4")
    command = [sys.executable, "-m", "rammeaftale", "-v", "ingest", *map(str, paths)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    lines: list[str] = []
    deadline = time.monotonic() + 240
    try:
        for line in process.stderr:  # type: ignore[union-attr]
            lines.append(line)
            if KILL_AT in line and paths[-1].name in line:
                os.kill(process.pid, signal.SIGKILL)
                break
            assert time.monotonic() < deadline, "ingest never reached the kill point"
    finally:
        process.kill()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "".join(lines[-20:])
    return lines


def dump_state(root: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", DUMP_STATE], capture_output=True, text=True, env=cli_env(root), timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def ids_of(state: dict, key: str, document: str, doc_hash: str | None = None) -> set[str]:
    return {i for i, doc, h in state[key] if doc == document and (doc_hash is None or h == doc_hash)}


def assert_whole_versions(state: dict, versions: dict[str, dict[str, set[str]]]) -> None:
    """Each registered document's live hash names one version whose chunks are all stored, and
    readers see exactly the live versions' chunks."""
    visible: set[str] = set()
    for name, (live_hash, count) in state["registry"].items():
        assert live_hash in versions[name], f"{name} is at an unknown version"
        stored = ids_of(state, "chunks", name, live_hash)
        expected = versions[name][live_hash]
        assert stored == expected, f"{name}: {len(stored - expected)} extra, {len(expected - stored)} missing"
        assert count == len(versions[name][live_hash])
        visible |= versions[name][live_hash]
    assert {i for i, _, _ in state["visible"]} == visible
    assert len(state["visible"]) == len(visible)
    assert state["dense"] and set(state["dense"]) <= visible


def test_sigkill_mid_ingest_leaves_whole_versions_and_the_next_run_completes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(PROJECT_ROOT / "corpus" / "rules.yaml", corpus / "rules.yaml")
    docs = tmp_path / "docs"
    docs.mkdir()
    texts = {
        "a.txt": [agreement("2023-2024", 6), agreement("2025-2026", 40)],
        "b.txt": [agreement("2021-2022", 4)],
        "c.txt": [agreement("2019-2020", 12)],
    }
    hashes = {
        name: [load_bytes(name, t.encode()).content_hash for t in versions]
        for name, versions in texts.items()
    }
    versions = {name: {h: expected_ids(name, t) for h, t in zip(hashes[name], texts[name])} for name in texts}

    (docs / "a.txt").write_text(texts["a.txt"][0], encoding="utf-8")
    (docs / "b.txt").write_text(texts["b.txt"][0], encoding="utf-8")
    first = run_cli(tmp_path, "ingest", str(docs / "a.txt"), str(docs / "b.txt"))
    assert first.returncode == 0, first.stderr

    # The killed run adds c.txt (completes), then replaces a.txt (killed after 3 of 10 batches).
    (docs / "a.txt").write_text(texts["a.txt"][1], encoding="utf-8")
    (docs / "c.txt").write_text(texts["c.txt"][0], encoding="utf-8")
    ingest_until_killed(tmp_path, docs / "c.txt", docs / "a.txt")

    after_kill = dump_state(tmp_path)
    assert after_kill["registry"]["a.txt"][0] == hashes["a.txt"][0]  # still the old version
    assert after_kill["registry"]["c.txt"][0] == hashes["c.txt"][0]  # finished before the kill
    partial = ids_of(after_kill, "chunks", "a.txt", hashes["a.txt"][1])
    assert 0 < len(partial) < len(versions["a.txt"][hashes["a.txt"][1]])  # really killed mid-way
    assert_whole_versions(after_kill, versions)

    rerun = run_cli(tmp_path, "ingest", str(docs))
    assert rerun.returncode == 0, rerun.stderr
    assert "erstattet: 1, uændret: 2" in rerun.stdout

    final = dump_state(tmp_path)
    assert {name: h for name, (h, _) in final["registry"].items()} == {
        "a.txt": hashes["a.txt"][1],
        "b.txt": hashes["b.txt"][0],
        "c.txt": hashes["c.txt"][0],
    }
    assert_whole_versions(final, versions)
    stored = [i for i, _, _ in final["chunks"]]
    assert len(stored) == len(set(stored)) == sum(count for _, count in final["registry"].values())


STALE_META = {"title": "x", "period": "", "doc_type": "x", "section": "", "page": -1, "ordinal": 0}


def test_rerun_under_new_splitting_code_drops_the_killed_runs_chunks(tmp_path: Path) -> None:
    """A run killed under older splitting code leaves chunks of the new version with ids the
    current code does not produce; completing the version deletes them before it goes live."""
    from ingest.indexing import Indexer

    indexer = Indexer(load_settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus"))
    path = tmp_path / "a.txt"
    path.write_text(agreement("2023-2024", 2), encoding="utf-8")
    indexer.ingest_paths([path])
    new_text = agreement("2025-2026", 3)
    new_hash = load_bytes("a.txt", new_text.encode()).content_hash
    left = STALE_META | {"document": "a.txt", "doc_hash": new_hash}
    indexer.chunks.upsert(ids=["old-code-chunk"], embeddings=[[0.1] * 384], documents=["x"], metadatas=[left])
    path.write_text(new_text, encoding="utf-8")

    assert indexer.ingest_paths([path]).replaced == ["a.txt"]

    assert set(indexer.chunks.get(include=[])["ids"]) == expected_ids("a.txt", new_text)


def test_rerun_removes_chunks_left_between_registry_flip_and_delete(tmp_path: Path) -> None:
    """A kill after the registry flip but before the old chunks are deleted: the file is then
    'unchanged', and the next ingest still deletes the leftovers."""
    from ingest.indexing import Indexer

    indexer = Indexer(load_settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus"))
    path = tmp_path / "a.txt"
    path.write_text(agreement("2025-2026", 2), encoding="utf-8")
    indexer.ingest_paths([path])
    live = {r.document: r for r in indexer.documents()}["a.txt"]
    stale = STALE_META | {"document": "a.txt", "doc_hash": "old-version"}
    indexer.chunks.upsert(
        ids=["stale-chunk"], embeddings=[[0.1] * 384], documents=["gammel"], metadatas=[stale]
    )
    stale_sentence = {
        "document": "a.txt",
        "doc_hash": "old-version",
        "chunk_id": "stale-chunk",
        "position": 0,
    }
    indexer.sentences.upsert(
        ids=["stale-chunk:0"], embeddings=[[0.1] * 384], documents=["gammel"], metadatas=[stale_sentence]
    )

    report = indexer.ingest_paths([path])

    stored = indexer.chunks.get(include=["metadatas"])
    assert report.unchanged == ["a.txt"]
    assert "stale-chunk" not in stored["ids"]
    sentence_hashes = {m["doc_hash"] for m in indexer.sentences.get(include=["metadatas"])["metadatas"]}
    assert sentence_hashes == {live.doc_hash}
    assert {m["doc_hash"] for m in stored["metadatas"]} == {live.doc_hash} and len(
        stored["ids"]
    ) == live.chunks
