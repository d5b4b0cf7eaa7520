"""`rammeaftale eval`: run the golden cases and report. Exit 0 when no pinned case fails (xfail
and XPASS are reported, never fatal), 1 when one does, 2 for a bad case file or option."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.periods import parse_period
from core.settings import Settings
from evals.cases import CASES_DIR, Case, groups_of, load_cases
from evals.report import format_json, format_markdown, format_sealed
from evals.runner import RunOptions, RunReport, run_suite

EXIT_OK, EXIT_FAILED = 0, 1


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``eval`` subcommand; its handler takes ``(args, settings)`` like the lead's CLI."""
    parser = subparsers.add_parser(
        "eval", help="kør de faste kontrolspørgsmål og rapportér, hvor mange svar der er rigtige"
    )
    parser.add_argument(
        "--period", help="kun én gruppe: en aftaleperiode (fx 2023-24) eller general/unanswerable/captured"
    )
    parser.add_argument("--json", action="store_true", help="rapport som JSON i stedet for markdown")
    parser.add_argument("--cases", type=Path, default=CASES_DIR, help="mappe med kontrolspørgsmål (*.yaml)")
    parser.add_argument("--out", type=Path, help="skriv også rapporten til denne fil")
    parser.add_argument(
        "--sealed",
        action="store_true",
        help="kun de samlede tal, intet om de enkelte spørgsmål (til et forseglet sæt, evals/sealed/)",
    )
    parser.set_defaults(handler=run_eval)

    train = subparsers.add_parser(
        "train-picker",
        help="træn svarvælgeren på de faste kontrolspørgsmål (skriver assistant/models/picker.json)",
    )
    train.add_argument("--cases", type=Path, default=CASES_DIR, help="mappe med kontrolspørgsmål (*.yaml)")
    train.add_argument(
        "--out", type=Path, help="hvor modellen skrives (standard: RAMME_ANSWERING__PICKER_MODEL)"
    )
    train.set_defaults(handler=run_train_picker)


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    cases = load_cases(args.cases)
    groups = (resolve_group(args.period, cases),) if args.period else ()
    report = run_suite(open_assistant(settings), cases, RunOptions(groups=groups, progress=_progress()))
    if args.sealed:
        text = format_sealed(report)
    else:
        text = format_json(report) if args.json else format_markdown(report)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(summary_line(report), file=sys.stderr)
    # A sealed set is measured, not pinned: its failures are expected and stay unread.
    return EXIT_OK if report.ok or args.sealed else EXIT_FAILED


def run_train_picker(args: argparse.Namespace, settings: Settings) -> int:
    """Train on the cases, write the model file and print the cross-validated figures."""
    from evals.picker_training import build_training_set, train

    # The features do not depend on the picker; the rule picker needs no model file to start.
    rules = settings.answering.model_copy(update={"picker": "rules"})
    assistant = open_assistant(settings.model_copy(update={"answering": rules}))
    data = build_training_set(assistant, load_cases(args.cases))
    model = train(data)
    out = args.out or settings.answering.picker_model
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(model.to_json(), encoding="utf-8")
    print(
        f"Svarvælgeren er trænet på {model.trained_on['cases']} spørgsmål ({len(data.labels)} "
        f"kandidatcitater) og gemt i {out}."
    )
    print(f"Grænser: sikker ved sandsynlighed ≥ {model.sure}, dækker ikke under {model.covered}.")
    for key, title in (
        ("cross_validated", "Krydsvalideret (spørgsmål, modellerne ikke så):"),
        ("cross_validated_written_blind", "Heraf spørgsmålssæt skrevet alene ud fra dokumenterne:"),
    ):
        print(title)
        for name, value in model.trained_on[key].items():
            shown = "–" if value is None else f"{100 * value:.1f} %".replace(".", ",")
            print(f"  {CROSS_VALIDATED_LABELS.get(name, name)}: {shown}")
    return EXIT_OK


# The cross-validated figures of ``evals.picker_training.summarise``, in the report's words.
CROSS_VALIDATED_LABELS = {
    "answer_accuracy": "rigtige svar",
    "sikker_share_answerable": "besvarbare spørgsmål besvaret »sikker«",
    "sikker_right": "»sikker« svar, der er rigtige",
    "daekker_ikke_answerable": "besvarbare spørgsmål afvist med »dækker ikke«",
    "unanswerable_not_sikker": "ubesvarbare spørgsmål ikke besvaret »sikker«",
    "unanswerable_daekker_ikke": "ubesvarbare spørgsmål afvist med »dækker ikke«",
}


def resolve_group(value: str, cases: list[Case]) -> str:
    """A group name as given, or a period in any spelling ('2024', '2023-2024') mapped to its file."""
    groups = groups_of(cases)
    if value in groups:
        return value
    period = parse_period(value)
    if period in groups:
        return period
    raise ValueError(f"Ukendt periode eller gruppe: {value!r}. Gyldige: {', '.join(groups)}.")


def open_assistant(settings: Settings):
    """The same Assistant the app uses, building the index first when it is empty."""
    from assistant.api import Assistant  # lazy: loading the embedding model is the slow part

    assistant = Assistant.open(settings)
    assistant.documents.ensure_index()
    return assistant


def _progress():
    """A one-line counter on stderr when a person is watching; silent in CI logs."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, case: Case) -> None:
        end = "\n" if done == total else ""
        print(f"\r[{done}/{total}] {case.id[:60]:<60}", end=end, file=sys.stderr, flush=True)

    return show


def summary_line(report: RunReport) -> str:
    m = report.overall
    return f"{m.passed}/{m.cases} bestået, {m.failed} fejl, {m.xfailed} xfail, {m.xpassed} xpass"
