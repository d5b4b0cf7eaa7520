"""Shared fixtures. Every test gets its own data dir, so no test touches a real index; the
integration fixture builds one real index (real corpus, real Chroma, real model) per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, Settings, load_settings

CORPUS = PROJECT_ROOT / "corpus"


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("RAMME_DATA_DIR", str(data_dir))
    monkeypatch.delenv("RAMME_LLM__MODEL", raising=False)
    return data_dir


@pytest.fixture(scope="session")
def indexed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of a session-wide index built from the bundled corpus."""
    from assistant.api import Assistant

    settings = load_settings(data_dir=tmp_path_factory.mktemp("index"))
    report = Assistant.open(settings).documents.ensure_index()
    assert report is not None and report.ok, report
    return settings


@pytest.fixture(scope="session")
def indexed_assistant(indexed_settings: Settings):
    from assistant.api import Assistant

    return Assistant.open(indexed_settings)


@pytest.fixture
def page_over_small_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``open_page("1_Chat.py", text)`` → that Streamlit page (AppTest, already run) over a corpus
    of its own: one agreement file with ``text`` plus the real rules.yaml."""
    import shutil

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def open_page(page: str, text: str) -> AppTest:
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        shutil.copy(PROJECT_ROOT / "corpus" / "rules.yaml", corpus / "rules.yaml")
        (corpus / "aftale.txt").write_text(text, encoding="utf-8")
        monkeypatch.setenv("RAMME_CORPUS_DIR", str(corpus))
        st.cache_resource.clear()  # get_assistant() is process-wide; this test needs its own settings
        return AppTest.from_file(str(PROJECT_ROOT / "pages" / page), default_timeout=180).run()

    yield open_page
    st.cache_resource.clear()
