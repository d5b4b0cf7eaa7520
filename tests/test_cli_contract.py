"""The `rammeaftale ask --json` contract other tools rely on, through a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration

CITATION_KEYS = {"n", "document", "title", "period", "section", "page", "quote"}


def run_cli(args: list[str], settings, stdin: str = "") -> subprocess.CompletedProcess:
    env = {"RAMME_DATA_DIR": str(settings.data_dir), "PATH": "/usr/bin:/bin", "HOME": str(settings.data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args], input=stdin, capture_output=True, text=True, env=env, timeout=300
    )


def test_ask_json_reads_questions_from_stdin(indexed_settings) -> None:
    result = run_cli(["ask", "--json"], indexed_settings, stdin="Hvad er opsigelsesvarslet?\n\nHvor parkerer jeg bilen?\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    for obj in lines:
        assert {"question", "answer", "abstained", "period", "tool", "citations"} <= obj.keys()
        assert isinstance(obj["abstained"], bool)
        for citation in obj["citations"]:
            assert CITATION_KEYS <= citation.keys()
            assert citation["page"] is None or isinstance(citation["page"], int)
    assert lines[0]["abstained"] is False and lines[0]["citations"][0]["section"] == "13.4 Opsigelsesvarsel"
    assert lines[1]["abstained"] is True


def test_unknown_period_is_a_clean_error(indexed_settings) -> None:
    result = run_cli(["ask", "--period", "2018", "Hvad er taksten?"], indexed_settings)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_a_missing_answer_picker_model_is_a_clear_error(indexed_settings, tmp_path) -> None:
    env_settings = indexed_settings
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", "Hvad er opsigelsesvarslet?"],
        capture_output=True, text=True, timeout=300,
        env={"RAMME_DATA_DIR": str(env_settings.data_dir), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
             "RAMME_ANSWER_PICKER": "learned", "RAMME_PICKER_MODEL": str(tmp_path / "mangler.json")},
    )
    assert result.returncode == 2
    assert "Svarvælgerens model mangler" in result.stderr and "Traceback" not in result.stderr
