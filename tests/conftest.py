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
    monkeypatch.delenv("RAMME_LLM", raising=False)
    return data_dir


@pytest.fixture(scope="session")
def indexed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of a session-wide index built from the bundled corpus."""
    from assistant.api import Assistant

    settings = load_settings(data_dir=tmp_path_factory.mktemp("index"))
    report = Assistant.open(settings).ensure_index()
    assert report is not None and report.ok, report
    return settings


@pytest.fixture(scope="session")
def indexed_assistant(indexed_settings: Settings):
    from assistant.api import Assistant

    return Assistant.open(indexed_settings)
