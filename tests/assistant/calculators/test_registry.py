"""A calculator is registered once and appears everywhere: as a CLI subcommand, an LLM tool with
its fields described, and in chat routing. Shown with a toy calculator added in this module only."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from assistant.answering.llm.tools import make_tools
from assistant.calculators import registry
from assistant.calculators.registry import Calculator, described, read_calculation
from assistant.calculators.rules import Clause, RuleBook, load_rules
from core.parsing import find_dates
from core.records import Answer
from rammeaftale import calculator_commands as commands

RULES_FILE = Path(__file__).resolve().parents[3] / "corpus" / "rules.yaml"


@dataclass(frozen=True)
class DaysInput:
    start: date = field(metadata=described("Første dag.", cli="start"))
    end: date = field(metadata=described("Sidste dag."))


@dataclass(frozen=True)
class DaysResult:
    days: int
    clauses: tuple[Clause, ...] = ()

    def summary_da(self) -> str:
        return f"{self.days} dage."

    def to_dict(self) -> dict:
        return {"days": self.days}


def _compute(rules: RuleBook, given: DaysInput) -> DaysResult:
    return DaysResult((given.end - given.start).days + 1)


def _read(question: str, means_notice) -> tuple[date, date] | None:
    found = [m.value for m in find_dates(question) if m.value]
    return (found[0], found[1]) if "hvor mange dage" in question.lower() and len(found) == 2 else None


def _answer(question: str, span, rules: RuleBook, period, named) -> Answer:
    result = _compute(rules, DaysInput(*span))
    return Answer(question, result.summary_da(), False, period, tool="days", tool_result=result.to_dict())


CALCULATOR = Calculator(
    name="days",
    summary="Antal dage fra og med første til og med sidste dag.",
    shown_as="dageberegneren",
    inputs=DaysInput,
    compute=_compute,
    text=lambda result: [result.summary_da()],
    read=_read,
    answer=_answer,
)


@pytest.fixture
def toy_registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(registry, "REGISTERED", (*registry.REGISTERED, __name__))
    registry.calculators.cache_clear()
    yield
    registry.calculators.cache_clear()


def test_the_bundled_calculators_are_registered() -> None:
    assert [c.name for c in registry.calculators()] == ["notice", "check_tariffs", "tariff"]


def test_a_registered_calculator_is_a_cli_subcommand(toy_registered, capsys) -> None:
    parser = argparse.ArgumentParser(prog="rammeaftale")
    commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(
        ["days", "1. marts 2024", "--end", "2024-03-31", "--json", "--rules", str(RULES_FILE)]
    )
    assert args.func(args) == 0
    assert json.loads(capsys.readouterr().out) == {"days": 31}
    args = parser.parse_args(["days", "1. marts 2024", "--end", "i morgen", "--rules", str(RULES_FILE)])
    assert args.func(args) == 2
    assert capsys.readouterr().err.startswith("Fejl: Ugyldig dato")


def test_a_registered_calculator_is_an_llm_tool_with_described_arguments(toy_registered) -> None:
    tool = next(t for t in make_tools(load_rules(RULES_FILE)) if t.name == "days")
    assert tool.description == CALCULATOR.summary
    assert tool.args["end"]["description"] == "Sidste dag."
    assert tool.invoke({"start": "2024-02-01", "end": "2024-02-29"}) == {"days": 29}


def test_a_registered_calculator_answers_in_the_chat(toy_registered) -> None:
    calculation = read_calculation("Hvor mange dage er der fra 1. marts 2024 til 10. marts 2024?")
    assert calculation is not None and calculation.calculator == "days"
    answer = registry.answer_calculation("?", calculation, load_rules(RULES_FILE))
    assert answer.tool == "days" and answer.tool_result == {"days": 10}
    assert read_calculation("Hvad er opsigelsesvarslet?") is None


def test_a_registered_calculator_has_a_page_from_one_call(toy_registered) -> None:
    from streamlit.testing.v1 import AppTest

    script = (
        "from assistant.calculators.rules import load_rules\n"
        "from ui.calculator_form import calculator_page\n"
        f"calculator_page('days', 'Dageberegner', load_rules({str(RULES_FILE)!r}))\n"
    )
    page = AppTest.from_string(script).run()
    assert page.title[0].value == "Dageberegner"
    assert [d.label for d in page.date_input] == ["Første dag.", "Sidste dag."]
    page.date_input[0].set_value(date(2024, 2, 1))
    page.date_input[1].set_value(date(2024, 2, 29))
    page.button[0].click().run()
    assert not page.exception and page.success[0].value == "29 dage."
