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
        [sys.executable, "-m", "rammeaftale", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_ask_json_reads_questions_from_stdin(indexed_settings) -> None:
    result = run_cli(
        ["ask", "--json"],
        indexed_settings,
        stdin="Hvad er opsigelsesvarslet?\n\nHvad koster en kop kaffe i kantinen?\n",
    )
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
    # The valid periods come from the data (manifest, rules, index), so argparse cannot list them.
    assert "Fejl: Ukendt aftaleperiode: '2018'. Gyldige perioder: 2017, 2019-20" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_answer_picker_model_is_a_clear_error(indexed_settings, tmp_path) -> None:
    env_settings = indexed_settings
    result = subprocess.run(
        [sys.executable, "-m", "rammeaftale", "ask", "Hvad er opsigelsesvarslet?"],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "RAMME_DATA_DIR": str(env_settings.data_dir),
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "RAMME_ANSWERING__PICKER": "learned",
            "RAMME_ANSWERING__PICKER_MODEL": str(tmp_path / "mangler.json"),
        },
    )
    assert result.returncode == 2
    assert "Svarvælgerens model mangler" in result.stderr and "Traceback" not in result.stderr


def test_help_and_argument_errors_are_danish(tmp_path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RAMME_DATA_DIR": str(tmp_path)}
    helped = subprocess.run(
        [sys.executable, "-m", "rammeaftale", "ask", "--help"], capture_output=True, text=True, env=env
    )
    assert helped.returncode == 0
    assert helped.stdout.startswith("brug: rammeaftale ask") and "tilvalg:" in helped.stdout
    assert "vis denne hjælp og afslut" in helped.stdout
    assert "usage" not in helped.stdout and "options" not in helped.stdout
    wrong = subprocess.run(
        [sys.executable, "-m", "rammeaftale", "docs", "vis"], capture_output=True, text=True, env=env
    )
    assert wrong.returncode == 2
    assert "rammeaftale docs: fejl: argument action: ugyldigt valg: 'vis' (vælg mellem" in wrong.stderr
    assert "error" not in wrong.stderr and "usage" not in wrong.stderr


def test_one_text_piece_is_singular() -> None:
    from rammeaftale.cli import _pieces

    assert (_pieces(1), _pieces(0), _pieces(247)) == ("1 tekststykke", "0 tekststykker", "247 tekststykker")


def test_progress_bar_in_a_log_prints_one_line_per_tenth() -> None:
    import io

    from rammeaftale.cli import TerminalBar

    log = io.StringIO()
    bar = TerminalBar(log)
    for step in range(101):
        bar(step / 100, f"aftale.txt: {step}/100 sætninger indlejret")
    bar.finish()
    lines = log.getvalue().splitlines()
    assert len(lines) == 11 and lines[0].startswith("[" + "." * 30 + "]   0%")
    assert lines[-1].startswith("[" + "#" * 30 + "] 100% aftale.txt: 100/100")
