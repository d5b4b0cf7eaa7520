"""A cold `rammeaftale ask` on an unchanged index answers without opening Chroma (core/index_receipt.py),
and still sees every change: a corpus file edited, a document uploaded by another process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, load_settings

pytestmark = pytest.mark.integration

QUESTION = "Hvad er opsigelsesvarslet?"


def _write_aged(path: Path, text: str) -> None:
    """A corpus file that has sat still for a minute (one edited just now is not vouched for)."""
    path.write_text(text, encoding="utf-8")
    past = time.time() - 60
    os.utime(path, (past, past))


def _cold_ask(env: dict[str, str], question: str = QUESTION) -> tuple[dict, bool]:
    """The answer of a fresh process, and whether that process imported chromadb."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "rammeaftale", "ask", "--json", question],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    opened_chroma = any(line.rsplit("|", 1)[-1].strip() == "chromadb" for line in result.stderr.splitlines())
    return json.loads(result.stdout), opened_chroma


def test_an_unchanged_index_is_answered_without_chroma_and_changes_are_seen(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(PROJECT_ROOT / "corpus" / "rules.yaml", corpus / "rules.yaml")
    os.utime(corpus / "rules.yaml", (time.time() - 60, time.time() - 60))
    _write_aged(corpus / "aftale.txt", "1. Opsigelse\n\nOpsigelsesvarslet er løbende måned plus én måned.\n")
    data = tmp_path / "data"
    env = {
        "RAMME_DATA_DIR": str(data),
        "RAMME_CORPUS_DIR": str(corpus),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }

    first, opened = _cold_ask(env)  # builds the index
    assert opened and "løbende måned plus én måned" in first["answer"]
    again, opened = _cold_ask(env)
    assert not opened, "an unchanged index was opened in Chroma"
    assert again["answer"] == first["answer"] and again["citations"] == first["citations"]

    _write_aged(
        corpus / "aftale.txt", "1. Opsigelse\n\nOpsigelsesvarslet er tre måneder fra udgangen af en måned.\n"
    )
    edited, opened = _cold_ask(env)
    assert opened and "tre måneder" in edited["answer"], edited["answer"]

    # Another process (here: this one) adds a document; the next cold ask must read the index.
    from assistant.api import Assistant

    settings = load_settings(data_dir=data, corpus_dir=corpus)
    upload = "2. Kaffe\n\nKaffen i kantinen koster fem kroner pr. kop ifølge denne aftale.\n"
    assert Assistant.open(settings).documents.ingest_upload("kantine.txt", upload.encode()).ok
    answered, opened = _cold_ask(env, "Hvad koster kaffen i kantinen?")
    assert opened and "fem kroner" in answered["answer"], answered["answer"]
