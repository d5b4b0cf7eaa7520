"""Shared fixtures: the real rules file from the repository's corpus folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.calculators.rules import RuleBook, load_rules

CORPUS_DIR = Path(__file__).resolve().parents[3] / "corpus"


@pytest.fixture(scope="session")
def rules() -> RuleBook:
    return load_rules(CORPUS_DIR / "rules.yaml")
