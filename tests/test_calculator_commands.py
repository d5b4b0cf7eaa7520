"""CLI subcommands: Danish text or JSON on stdout, one Danish line and a non-zero code on bad input."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from rammeaftale import calculator_commands as commands

RULES = str(Path(__file__).resolve().parents[1] / "corpus" / "rules.yaml")


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="rammeaftale")
    commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args([*argv, "--rules", RULES])
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_notice_json_contract(capsys):
    code, out, _ = run(["notice", "2024-03-15", "--json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert data["last_paid_day"] == "2024-04-30"
    assert data["period"] == "2023-24"
    assert data["rule"] and data["citations"]


def test_notice_text_accepts_danish_dates_and_flags(capsys):
    code, out, _ = run(["notice", "3/1-2025", "--death"], capsys)
    assert code == 0
    assert "28. februar 2025" in out and "Dødsfald" in out and "Kilder:" in out
    code, out, _ = run(["notice", "2024-03-15", "--place-type", "objective40", "--json"], capsys)
    assert json.loads(out)["applies"] is False


def test_tariff_json(capsys):
    argv = [
        "tariff",
        "--operating-costs",
        "9,5 mio.",
        "--places",
        "12",
        "--target-group",
        "voksne",
        "--period",
        "2017",
        "--json",
    ]
    code, out, _ = run(argv, capsys)
    data = json.loads(out)
    assert code == 0
    assert data["daily_tariff"] == round(9_500_000 * 1.061 / (12 * 365), 2)


def test_check_tariffs_text(capsys):
    code, out, _ = run(["check-tariffs", "2023=1000", "2024=1.050"], capsys)
    assert code == 0
    assert "ikke overholdt" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["notice", "31/2-2024"],
        ["notice", "i morgen"],
        ["notice", "2018-05-01"],
        ["notice", "2024-05-01", "--period", "2030"],
        [
            "tariff",
            "--operating-costs",
            "mange",
            "--places",
            "12",
            "--target-group",
            "voksne",
            "--period",
            "2017",
        ],
        [
            "tariff",
            "--operating-costs",
            "1000000",
            "--places",
            "0",
            "--target-group",
            "voksne",
            "--period",
            "2017",
        ],
        ["check-tariffs", "2023=abc"],
        ["check-tariffs", "2023=1000", "--index", "2024=100"],
    ],
)
def test_bad_input_gives_one_danish_line_and_exit_code_2(argv, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("Fejl: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_handler_takes_settings_and_finds_rules_in_the_corpus_dir(capsys, tmp_path):
    from core.settings import load_settings

    parser = argparse.ArgumentParser(prog="rammeaftale")
    commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["notice", "2024-03-15", "--json"])
    assert args.handler(args, load_settings(corpus_dir=Path(RULES).parent)) == 0
    assert json.loads(capsys.readouterr().out)["last_paid_day"] == "2024-04-30"
    assert args.handler(args, load_settings(corpus_dir=tmp_path)) == 1  # no rules.yaml there
    assert "regelfilen" in capsys.readouterr().err
