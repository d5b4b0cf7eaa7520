"""CLI subcommands for the calculators, derived from their registrations (calculators/registry.py):
``notice``, ``tariff``, ``check-tariffs``.

``rammeaftale/cli.py`` calls :func:`register`; each subparser sets both ``handler`` and ``func`` to a
handler ``(args, settings=None) -> exit code`` (the CLI passes its Settings, whose corpus_dir locates
rules.yaml). A field's command-line spelling comes from its metadata (a bare name is positional);
text is read by the field's type: dates and amounts the Danish way ("15. marts 2024", "9,5 mio."),
year values as ÅR=BELØB. Bad input ends in one Danish line on stderr and exit code 2 – never a
traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import sys
import typing
from datetime import date
from pathlib import Path
from typing import Any, Literal

from assistant.calculators.entries.common import source_lines
from assistant.calculators.registry import (
    Calculator,
    calculators,
    field_description,
    field_types,
    is_required,
)
from assistant.calculators.rules import CalculatorInputError, RuleBook, RulesFileError, load_rules
from assistant.periods import load_rulebook
from core.parsing import find_dates, parse_amount
from core.settings import Settings, load_settings

EXIT_BAD_INPUT = 2
EXIT_CONFIG = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add one subcommand per registered calculator to an argparse subparsers object."""
    for entry in calculators():
        parser = subparsers.add_parser(entry.command, help=entry.summary)
        kinds = field_types(entry)
        for field in entry.fields():
            _add_argument(parser, field, kinds[field.name][0])
        parser.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")
        parser.add_argument("--rules", type=Path, default=None, help=argparse.SUPPRESS)
        handler = functools.partial(handle, entry)
        parser.set_defaults(handler=handler, func=handler)


def handle(entry: Calculator, args: argparse.Namespace, settings: Settings | None = None) -> int:
    """Read the arguments into the calculator's inputs, compute, print text or JSON."""
    path = getattr(args, "rules", None)
    try:
        # The settings' rules include the secretariat's recorded ones and every period the index knows.
        rules: RuleBook = load_rulebook(settings or load_settings()) if path is None else load_rules(path)
    except RulesFileError as exc:
        print(f"Fejl i regelfilen: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        result = entry.compute(rules, _inputs(entry, args))
    except CalculatorInputError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(entry.text(result) + source_lines(result.clauses)))
    return 0


def _spelling(field: dataclasses.Field) -> str:
    return field.metadata.get("cli") or "--" + field.name.replace("_", "-")


def _add_argument(parser: argparse.ArgumentParser, field: dataclasses.Field, base: Any) -> None:
    spelling, help_text = _spelling(field), field_description(field)
    options: dict[str, Any] = {"help": help_text}
    if base is bool:
        options["action"] = "store_true"
    elif typing.get_origin(base) is Literal:
        options["choices"] = typing.get_args(base)
    elif typing.get_origin(base) is dict:
        options["nargs"] = "+"
    if spelling.startswith("-"):
        options["dest"] = field.name
        if is_required(field) and base is not bool:
            options["required"] = True
        parser.add_argument(spelling, **options)
    else:
        parser.add_argument(spelling, metavar=spelling.upper(), **options)


def _inputs(entry: Calculator, args: argparse.Namespace) -> Any:
    """The calculator's input dataclass from the parsed arguments; Danish error on bad text."""
    kinds = field_types(entry)
    values = {}
    for field in entry.fields():
        raw = getattr(args, field.name if _spelling(field).startswith("-") else _spelling(field))
        if raw is None:
            continue  # not given: the field's default
        values[field.name] = _read(raw, kinds[field.name][0], field)
    return entry.inputs(**values)


def _read(raw: Any, kind: Any, field: dataclasses.Field) -> Any:
    flag = _spelling(field)
    if kind is date:
        mentions = find_dates(raw)
        if not mentions or mentions[0].value is None:
            raise CalculatorInputError(f"Ugyldig dato: {raw!r}. Skriv fx 2024-03-15 eller '15. marts 2024'.")
        return mentions[0].value
    if kind is float:
        return _amount(raw, flag)
    if kind is int:
        value = _amount(raw, flag)
        if value != int(value):
            raise CalculatorInputError(f"{flag}: {raw!r} skal være et helt tal.")
        return int(value)
    if typing.get_origin(kind) is dict:
        return _year_values(raw, field.metadata.get("kind") or "værdi")
    return raw  # text, a choice or a flag: argparse has checked it


def _amount(text: str, flag: str) -> float:
    stripped = text.strip()
    negative = stripped.startswith("-")
    value = parse_amount(stripped.lstrip("-+ "))
    if value is None:
        raise CalculatorInputError(f"{flag}: {text!r} er ikke et tal.")
    return -value if negative else value


def _year_values(items: list[str], what: str) -> dict[int, float]:
    values: dict[int, float] = {}
    for item in items:
        year_text, sep, value_text = item.replace(":", "=").partition("=")
        value = parse_amount(value_text) if sep else None
        if not year_text.strip().isdigit() or value is None:
            raise CalculatorInputError(f"Skriv {what} som ÅR=BELØB, fx 2023=1000 (fik {item!r}).")
        values[int(year_text)] = value
    return values
