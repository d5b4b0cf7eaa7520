"""CLI subcommands for the calculators: ``notice``, ``tariff`` and ``check-tariffs``.

``rammeaftale/cli.py`` calls :func:`register`; each subparser sets both ``handler`` and ``func`` to a
handler ``(args, settings=None) -> exit code`` (the CLI passes its Settings, whose corpus_dir locates
rules.yaml). Bad input ends in one Danish line on stderr
and exit code 2 – never a traceback. Amount options accept Danish notation ("9,5 mio.").
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from assistant.calculators.notice import PLACE_TYPES, compute_notice
from assistant.calculators.rules import (
    CalculatorInputError,
    RuleBook,
    RulesFileError,
    citations_for,
    load_rules,
)
from assistant.calculators.tariff import TARGET_GROUPS, TariffInput, compute_tariff, format_kr
from assistant.calculators.tariff_check import check_tariffs
from assistant.periods import load_rulebook
from assistant.understanding.parsing import find_dates, parse_amount
from core.settings import Settings

EXIT_BAD_INPUT = 2
EXIT_CONFIG = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the three calculator subcommands to an argparse subparsers object."""
    notice = subparsers.add_parser("notice", help="Sidste betalingsdag efter opsigelse eller dødsfald.")
    notice.add_argument("date", help="Dato for opsigelsen/dødsfaldet, fx 2024-03-15 eller '15. marts 2024'.")
    notice.add_argument("--period", help="Aftaleperiode (standard: ud fra datoen).")
    notice.add_argument("--death", action="store_true", help="Datoen er en dødsdato.")
    notice.add_argument("--place-type", choices=PLACE_TYPES, default="ordinary", help="Pladstype.")
    _add_common(notice, handle_notice)

    tariff = subparsers.add_parser("tariff", help="Takstberegning: budget, årstakst og døgntakst.")
    tariff.add_argument("--operating-costs", required=True, help="Direkte driftsudgifter pr. år (kr.).")
    tariff.add_argument("--places", required=True, help="Antal pladser.")
    tariff.add_argument("--target-group", required=True, choices=tuple(TARGET_GROUPS), help="Målgruppe.")
    tariff.add_argument("--period", required=True, help="Aftaleperiode, fx 2023-24.")
    for flag, text in (
        ("--tjm-salaries", "Heraf lønninger til tjenestemænd (kr.)."),
        ("--asset-value", "Værdi af grunde, bygninger og inventar (kr.)."),
        ("--depreciation", "Afskrivninger (kr.)."),
        ("--rent", "Husleje (kr.)."),
        ("--prior-result", "Overskud (+) eller underskud (-) fra år t-2 (kr.)."),
        ("--prior-budget", "Budget for år t-2 (grundlag for 5 %-grænsen)."),
        ("--occupancy", "Belægningsprocent (kræves for forsorgshjem/krisecentre)."),
        ("--interest-rate", "Forrentningssats i % (diskonto + 1)."),
        ("--admin-pct", "Administrationsprocent (højst den aftalte)."),
    ):
        tariff.add_argument(flag, help=text)
    _add_common(tariff, handle_tariff)

    check = subparsers.add_parser("check-tariffs", help="Tjek en takstudvikling mod takstaftalerne.")
    check.add_argument("tariffs", nargs="+", help="Takster som ÅR=BELØB, fx 2023=1000 2024=1000.")
    check.add_argument("--index", nargs="+", help="Pris- og lønindeks som ÅR=INDEKS, fx 2023=100 2024=102.")
    _add_common(check, handle_check_tariffs)


def _add_common(parser: argparse.ArgumentParser, handler: Callable[..., int]) -> None:
    parser.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")
    parser.add_argument("--rules", type=Path, default=None, help=argparse.SUPPRESS)
    parser.set_defaults(handler=handler, func=handler)


def handle_notice(args: argparse.Namespace, settings: Settings | None = None) -> int:
    def run(rules: RuleBook) -> int:
        mentions = find_dates(args.date)
        if not mentions or mentions[0].value is None:
            raise CalculatorInputError(
                f"Ugyldig dato: {args.date!r}. Skriv fx 2024-03-15 eller '15. marts 2024'."
            )
        result = compute_notice(
            rules, mentions[0].value, period=args.period, death=args.death, place_type=args.place_type
        )
        if args.json:
            return _print_json(result.to_dict())
        lines = [result.summary_da(), f"Regel: {result.rule}"]
        lines += [f"Betingelse: {c}" for c in result.conditions] + [f"Bemærk: {n}" for n in result.notes]
        print("\n".join(lines + _citation_lines(result.clauses)))
        return 0

    return _guard(args, settings, run)


def handle_tariff(args: argparse.Namespace, settings: Settings | None = None) -> int:
    def run(rules: RuleBook) -> int:
        data = TariffInput(
            direct_operating_costs=_amount(args.operating_costs, "--operating-costs"),
            places=_places(args.places),
            target_group=args.target_group,
            period=args.period,
            tjm_salaries=_optional_amount(args.tjm_salaries, "--tjm-salaries") or 0.0,
            asset_value=_optional_amount(args.asset_value, "--asset-value") or 0.0,
            depreciation=_optional_amount(args.depreciation, "--depreciation") or 0.0,
            rent=_optional_amount(args.rent, "--rent") or 0.0,
            prior_result=_optional_amount(args.prior_result, "--prior-result") or 0.0,
            prior_budget=_optional_amount(args.prior_budget, "--prior-budget"),
            occupancy_pct=_optional_amount(args.occupancy, "--occupancy"),
            interest_rate_pct=_optional_amount(args.interest_rate, "--interest-rate"),
            admin_pct=_optional_amount(args.admin_pct, "--admin-pct"),
        )
        result = compute_tariff(rules, data)
        if args.json:
            return _print_json(result.to_dict())
        lines = [result.summary_da(), "", "Budget:"]
        for line in result.lines:
            pct = (
                f" ({line.percentage:g} % {line.base})".replace(".", ",")
                if line.percentage is not None
                else ""
            )
            lines.append(f"  {line.label}{pct}: {format_kr(line.amount)}")
        lines.append(f"  I alt til finansiering: {format_kr(result.amount_to_finance)}")
        lines += [f"Antagelse: {a}" for a in result.assumptions] + [f"Bemærk: {n}" for n in result.notes]
        print("\n".join(lines + _citation_lines(result.clauses)))
        return 0

    return _guard(args, settings, run)


def handle_check_tariffs(args: argparse.Namespace, settings: Settings | None = None) -> int:
    def run(rules: RuleBook) -> int:
        tariffs = _year_values(args.tariffs, "takst")
        index = _year_values(args.index, "indeks") if args.index else None
        result = check_tariffs(rules, tariffs, index)
        if args.json:
            return _print_json(result.to_dict())
        lines = [result.summary_da()]
        for check in result.checks:
            lines.append(f"Takstaftale {check.agreement_id} ({check.verdict_da()}):")
            lines += [f"  - {r}" for r in check.reasons] + [f"  Bemærk: {n}" for n in check.notes]
        lines += [f"Bemærk: {n}" for n in result.notes]
        print("\n".join(lines + _citation_lines(result.clauses)))
        return 0

    return _guard(args, settings, run)


def _guard(args: argparse.Namespace, settings: Settings | None, run: Callable[[RuleBook], int]) -> int:
    """Load rules and run; turn expected errors into one Danish line and an exit code."""
    path = getattr(args, "rules", None)
    try:
        # The settings' rules include the secretariat's recorded ones and every period the index knows.
        rules = load_rulebook(settings) if path is None and settings is not None else load_rules(path)
    except RulesFileError as exc:
        print(f"Fejl i regelfilen: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        return run(rules)
    except CalculatorInputError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _print_json(payload: dict) -> int:
    print(json.dumps(payload, ensure_ascii=False, indent=2))
    return 0


def _citation_lines(clauses) -> list[str]:
    lines = ["", "Kilder:"]
    for c in citations_for(clauses):
        page = f", s. {c.page}" if c.page else ""
        lines.append(f"  [{c.n}] {c.title} ({c.document}), {c.section}{page}: »{c.quote}«")
    return lines


def _amount(text: str, flag: str) -> float:
    value = _optional_amount(text, flag)
    if value is None:
        raise CalculatorInputError(f"{flag} mangler et beløb.")
    return value


def _optional_amount(text: str | None, flag: str) -> float | None:
    if text is None:
        return None
    stripped = text.strip()
    negative = stripped.startswith("-")
    value = parse_amount(stripped.lstrip("-+ "))
    if value is None:
        raise CalculatorInputError(f"{flag}: {text!r} er ikke et tal.")
    return -value if negative else value


def _places(text: str) -> int:
    value = _amount(text, "--places")
    if value != int(value):
        raise CalculatorInputError("Antal pladser skal være et helt tal på mindst 1.")
    return int(value)


def _year_values(items: list[str], what: str) -> dict[int, float]:
    values: dict[int, float] = {}
    for item in items:
        year_text, sep, value_text = item.replace(":", "=").partition("=")
        value = parse_amount(value_text) if sep else None
        if not year_text.strip().isdigit() or value is None:
            raise CalculatorInputError(f"Skriv {what} som ÅR=BELØB, fx 2023=1000 (fik {item!r}).")
        values[int(year_text)] = value
    return values
