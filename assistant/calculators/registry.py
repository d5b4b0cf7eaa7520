"""One registration per calculator, and everything derived from it.

A :class:`Calculator` names the calculator, its inputs (a dataclass whose fields carry a Danish
description and, where it differs from the field name, a command-line spelling), how it computes
from the rules, how its result reads as text, and how a chat question asks for it. From that one
registration come the LLM tool (``answering/llm/tools.py``), the CLI subcommand
(``rammeaftale/calculator_commands.py``), the chat routing (``Assistant.understand`` reads
:func:`read_calculation`) and the input model a page fills. Adding a calculator is one module
that builds a :class:`Calculator`, plus its line in :data:`REGISTERED`.
"""

from __future__ import annotations

import dataclasses
import importlib
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from assistant.calculators.rules import Clause, RuleBook
from core.records import Answer

# The calculators, in the order a chat question is offered to them: the first whose reader
# recognises the question answers it (a date with "opsagt" is a notice before anything else).
REGISTERED = (
    "assistant.calculators.entries.notice",
    "assistant.calculators.entries.tariff_check",
    "assistant.calculators.entries.tariff",
)

Intent = Callable[[], bool]


class Result(Protocol):
    """What every calculator returns: a Danish summary, its clauses and a JSON form."""

    @property
    def clauses(self) -> tuple[Clause, ...]: ...

    def summary_da(self) -> str: ...

    def to_dict(self) -> dict: ...


@dataclass(frozen=True)
class Calculator:
    name: str  # the answer's ``tool``, the LLM tool's name; the CLI command with '-' for '_'
    summary: str  # one Danish line: CLI help and the LLM tool's description
    shown_as: str  # the calculator in a caseworker's words: "Svaret kommer fra: <shown_as>"
    inputs: type  # a dataclass; each field's metadata: "description", optionally "cli", "kind"
    compute: Callable[[RuleBook, Any], Result]
    text: Callable[[Any], list[str]]  # the result as plain lines (the CLI), before its sources
    # Chat: what a question asks of this calculator (None: not for it) and the answer to that.
    read: Callable[[str, Intent | None], Any | None]
    answer: Callable[[str, Any, RuleBook, str | None, str | None], Answer]

    @property
    def command(self) -> str:
        return self.name.replace("_", "-")

    def fields(self) -> tuple[dataclasses.Field, ...]:
        return dataclasses.fields(self.inputs)


@dataclass(frozen=True)
class Calculation:
    """A chat question read as a calculation: which calculator, and what its reader read."""

    calculator: str
    request: Any


@cache
def calculators() -> tuple[Calculator, ...]:
    """The registered calculators, in :data:`REGISTERED` order."""
    return tuple(importlib.import_module(module).CALCULATOR for module in REGISTERED)


def calculator(name: str) -> Calculator:
    return next(c for c in calculators() if c.name == name)


def read_calculation(question: str, means_notice: Intent | None = None) -> Calculation | None:
    """The first calculator's reading of a question that carries its inputs, else None (the
    question goes to retrieval). ``means_notice`` tells, from the question's embedding, whether
    it asks for the last paid day in other words (assistant/understanding/intent.py)."""
    if not isinstance(question, str) or not question.strip():
        return None
    for entry in calculators():
        request = entry.read(question, means_notice)
        if request is not None:
            return Calculation(entry.name, request)
    return None


def answer_calculation(
    question: str,
    calculation: Calculation,
    rules: RuleBook,
    period: str | None = None,
    named_period: str | None = None,
) -> Answer:
    """The calculator's chat answer. ``period``: the one the caseworker chose; ``named_period``:
    the one the question names."""
    return calculator(calculation.calculator).answer(
        question, calculation.request, rules, period, named_period
    )


def described(
    description: str,
    *,
    label: str | None = None,
    cli: str | None = None,
    kind: str | None = None,
    choices: dict[str, str] | None = None,
    unset: str | None = None,
) -> dict:
    """Field metadata for a calculator input: ``description`` for the LLM tool and the CLI;
    ``label`` the form's label in a caseworker's words (default: the description); ``cli`` the
    command-line spelling ("--places", or a bare name for a positional argument); ``kind`` what
    the value is ("period": an agreement period; for year values, the word for them, "takst");
    ``choices`` the Danish label of each choice of a fixed set; ``unset`` what leaving an optional
    field empty means ("Ud fra datoen")."""
    return {
        "description": description,
        "label": label,
        "cli": cli,
        "kind": kind,
        "choices": choices,
        "unset": unset,
    }


def field_description(field: dataclasses.Field) -> str:
    return str(field.metadata.get("description", field.name))


def field_types(entry: Calculator) -> dict[str, tuple[Any, bool]]:
    """Each input field's type, as (the type without ``| None``, whether None is allowed)."""
    found = {}
    for name, kind in typing.get_type_hints(entry.inputs).items():
        rest = [a for a in typing.get_args(kind) if a is not type(None)]
        optional = typing.get_origin(kind) in (typing.Union, types.UnionType) and len(rest) == 1
        found[name] = (rest[0], True) if optional else (kind, False)
    return found


def is_required(field: dataclasses.Field) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
