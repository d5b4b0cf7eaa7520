"""`rammeaftale` console script: ingest, ask, docs, app (and the calculators and evals)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from pathlib import Path

from assistant.answering.picking import PickerModelError
from core.embeddings import EmbeddingModelError
from core.periods import UnknownPeriodError
from core.records import Answer
from core.settings import PROJECT_ROOT, Settings, load_settings
from core.vectorstore import VectorStoreError
from ingest.errors import IngestError

log = logging.getLogger("rammeaftale")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        return args.handler(args, load_settings())
    except (
        IngestError,
        UnknownPeriodError,
        ValueError,
        VectorStoreError,
        EmbeddingModelError,
        PickerModelError,
    ) as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        return 0


class DanishHelpFormatter(argparse.HelpFormatter):
    """argparse's help with a Danish "brug:" line instead of "usage:"."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, prefix="brug: " if prefix is None else prefix)


# argparse's own error messages (English, from its gettext catalogue) in Danish.
_DANISH_ERRORS = (
    (re.compile(r"invalid choice: (.*) \(choose from (.*)\)"), r"ugyldigt valg: \1 (vælg mellem \2)"),
    (re.compile(r"the following arguments are required: (.*)"), r"disse argumenter mangler: \1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"ukendte argumenter: \1"),
    (re.compile(r"expected one argument"), r"forventer én værdi"),
    (re.compile(r"expected at least one argument"), r"forventer mindst én værdi"),
    (re.compile(r"invalid \w+ value: (.*)"), r"ugyldig værdi: \1"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), r"tvetydigt tilvalg: \1 kan betyde \2"),
)


class DanishArgumentParser(argparse.ArgumentParser):
    """The CLI's help and errors in Danish. Subcommands get this class too (argparse creates
    them with the parent's class), including those the calculators and evals register."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", DanishHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # added below, with a Danish help text
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenter"
        self._optionals.title = "tilvalg"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="vis denne hjælp og afslut")

    def error(self, message: str):
        for pattern, danish in _DANISH_ERRORS:
            message = pattern.sub(danish, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fejl: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = DanishArgumentParser(prog="rammeaftale", description="Spørg Rammeaftalerne i Midtjylland.")
    parser.add_argument("-v", "--verbose", action="store_true", help="vis log-beskeder")
    commands = parser.add_subparsers(title="kommandoer")

    ingest = commands.add_parser("ingest", help="indeksér dokumenter (standard: corpus/)")
    ingest.add_argument("paths", nargs="*", type=Path, help="filer eller mapper")
    ingest.set_defaults(handler=run_ingest)

    ask = commands.add_parser("ask", help="stil et spørgsmål; uden spørgsmål læses ét pr. linje fra stdin")
    ask.add_argument("question", nargs="?", help="spørgsmålet")
    ask.add_argument("--json", action="store_true", help="én JSON-linje pr. svar")
    ask.add_argument("--period", help="afgræns til én aftaleperiode, fx 2023-24")
    ask.set_defaults(handler=run_ask)

    docs = commands.add_parser("docs", help="vis eller fjern indekserede dokumenter")
    docs.add_argument("action", choices=["list", "remove"], help="list: vis dokumenterne; remove: fjern dem")
    docs.add_argument("names", nargs="*", help="filnavne (til remove)")
    docs.add_argument("--json", action="store_true", help="som JSON")
    docs.set_defaults(handler=run_docs)

    rules = commands.add_parser("rules", help="vis eller registrér beregnernes regler for en aftaleperiode")
    rules.add_argument(
        "action", choices=["show", "record"], help="show: vis periodens regler; record: registrér en regel"
    )
    rules.add_argument("period", help="aftaleperiode, fx 2027-28")
    rules.add_argument("parameter", nargs="?", help="parameteren (til record), fx admin_max_pct")
    rules.add_argument("--document", help="filnavnet på dokumentet, der angiver reglen (til record)")
    rules.add_argument("--quote", help="den ordrette sætning eller tabelrække fra dokumentet (til record)")
    rules.add_argument(
        "--confirms", action="store_true", help="citatet bekræfter, at den forrige periodes værdi videreføres"
    )
    rules.add_argument(
        "--preview", action="store_true", help="vis kun hvad der ville blive registreret; gem intet"
    )
    rules.set_defaults(handler=run_rules)

    app = commands.add_parser("app", help="opdatér indekset og start appen i browseren")
    app.add_argument("--port", type=int, default=8501, help="port (standard: 8501)")
    app.add_argument("--headless", action="store_true", help="åbn ikke en browser")
    app.set_defaults(handler=run_app)

    _register_optional(commands)
    return parser


def _register_optional(commands) -> None:
    """The calculators' subcommands (derived from their registrations) and the evals'."""
    from evals import cli as eval_cli
    from rammeaftale import calculator_commands

    calculator_commands.register(commands)
    eval_cli.register(commands)


def open_assistant(settings: Settings):
    """Open the index, building it from corpus/ first when it is empty (progress on stderr)."""
    from assistant.api import Assistant

    assistant = Assistant.open(settings)
    report = assistant.documents.ensure_index(progress=_stderr_progress)
    if report is not None:
        print(file=sys.stderr)
        _print_report(report, sys.stderr)
    return assistant


def run_ingest(args, settings: Settings) -> int:
    from assistant.api import Assistant

    assistant = Assistant.open(settings)
    report = assistant.documents.ingest(args.paths or [settings.corpus_dir], progress=_stderr_progress)
    print(file=sys.stderr)
    _print_report(report, sys.stdout)
    return 0 if report.ok else 1


def run_ask(args, settings: Settings) -> int:
    from assistant.periods import load_calendar

    if args.period:  # a clear error before the model loads; the periods come from the data
        load_calendar(settings).normalize(args.period)
    assistant = open_assistant(settings)
    if args.question is not None:
        _print_answer(assistant.ask(args.question, args.period), args.json)
        return 0
    for line in sys.stdin:
        if line.strip():
            _print_answer(assistant.ask(line.strip(), args.period), args.json)
            sys.stdout.flush()
    return 0


def run_rules(args, settings: Settings) -> int:
    """Show a period's calculator rules, or record one by quoting its clause (Danish output)."""
    from assistant.api import Assistant, RuleRecordingError
    from assistant.calculators.recording import PARAMETERS, format_value

    assistant = Assistant.open(settings)
    if args.action == "show":
        for status in assistant.documents.rule_status(args.period):
            origin = "" if status.basis == "own" else f" (fra {status.origin_period})"
            print(
                f"{status.parameter.label} [{status.parameter.key}]: {format_value(status.value)} – "
                f"{status.basis_label}{origin}"
            )
        return 0
    if not (args.parameter and args.document and args.quote):
        print(
            "Fejl: record kræver parameter, --document og --quote. Parametre: " + ", ".join(PARAMETERS),
            file=sys.stderr,
        )
        return 2
    record = assistant.documents.propose_rule if args.preview else assistant.documents.record_rule
    try:
        proposal = record(args.period, args.parameter, args.document, args.quote, args.confirms)
    except RuleRecordingError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 2
    print(("Ville registrere: " if args.preview else "Registreret: ") + proposal.summary_da())
    print(f"Citat: »{proposal.clause.quote}«")
    return 0


def run_docs(args, settings: Settings) -> int:
    """List or remove documents. Uses the indexer directly: neither needs the embedding model."""
    from ingest.indexing import Indexer
    from ingest.uploads import forget_upload

    indexer = Indexer(settings)
    if args.action == "list":
        records = indexer.documents()
        if args.json:
            print(json.dumps([{"document": r.document, **r.metadata()} for r in records], ensure_ascii=False))
        elif not records:
            print("Ingen dokumenter er indekseret endnu.", file=sys.stderr)
        for record in [] if args.json else records:
            print(
                f"{record.document}\t{record.period or '-'}\t{record.doc_type}\t"
                f"{_pieces(record.chunks)}\t{record.title}"
            )
        return 0
    if not args.names:
        print(
            "Fejl: angiv filnavnet på mindst ét dokument, der skal fjernes (se `docs list`).", file=sys.stderr
        )
        return 2
    missing = [name for name in args.names if not (indexer.remove(name) | forget_upload(settings, name))]
    for name in missing:
        print(f"Fejl: {name} er ikke indekseret.", file=sys.stderr)
    for name in args.names:
        if name not in missing:
            print(f"Fjernet: {name}")
    return 1 if missing else 0


def run_app(args, settings: Settings) -> int:
    """Bring the index up to date here, with a progress bar in the terminal, then become Streamlit:
    the first visitor gets the chat at once instead of a build behind a browser spinner. The
    server runs from the project folder (its .streamlit/config.toml) and without a file watcher:
    issue 15 saw the watcher walk .venv and .data, overflow inotify and burn CPU while idle."""
    sync_index(settings)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(PROJECT_ROOT / "app.py"),
        "--server.port",
        str(args.port),
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--server.maxUploadSize",
        str(max(1, round(settings.max_upload_mb))),
    ]
    if args.headless:
        command += ["--server.headless", "true"]
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    # Become Streamlit rather than wait for it: the sync's model and Chroma handles go with this
    # process, and Ctrl+C reaches the server directly.
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(PROJECT_ROOT)
    os.execve(sys.executable, command, env)
    return 0  # not reached


def sync_index(settings: Settings) -> None:
    """Build or update the index from corpus/ (unchanged documents are skipped quickly)."""
    from assistant.api import Assistant

    print("Opdaterer indekset over dokumenterne …", file=sys.stderr, flush=True)
    bar = TerminalBar(sys.stderr)
    report = Assistant.open(settings).documents.ensure_index(progress=bar)
    bar.finish()
    if report is None:
        print("Indekset er opdateret; ingen dokumenter er ændret.", file=sys.stderr)
    else:
        _print_report(report, sys.stderr)
    print("Starter appen …", file=sys.stderr, flush=True)


class TerminalBar:
    """A :data:`ingest.embedding.Progress` drawn as a bar: redrawn in place on a terminal, one
    line per tenth when the output is a file or a pipe (so a log does not fill with redraws)."""

    WIDTH = 30

    def __init__(self, stream) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.shown = -1  # the last tenth printed (pipe) or drawn (terminal)

    def __call__(self, fraction: float, text: str) -> None:
        fraction = min(1.0, max(0.0, fraction))
        filled = round(fraction * self.WIDTH)
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {fraction:4.0%} {text[:64]}"
        if self.tty:
            self.shown = int(fraction * 10)
            print(f"\r{line:<100}", end="", file=self.stream, flush=True)
        elif int(fraction * 10) > self.shown:
            self.shown = int(fraction * 10)
            print(line, file=self.stream, flush=True)

    def finish(self) -> None:
        """End the redrawn line, so what follows starts on a line of its own."""
        if self.tty and self.shown != -1:
            print(file=self.stream)


def _print_answer(answer: Answer, as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
        return
    print(answer.answer)
    for note in answer.notes:
        if note not in answer.answer:
            print(f"\nBemærk: {note}")
    if answer.citations:
        print("\nKilder:")
    for c in answer.citations:
        page = (f"s. {c.page}" + (" (OCR-læst)" if c.ocr else "")) if c.page else ""
        where = ", ".join(part for part in (c.period, c.section, page) if part)
        print(f"  [{c.n}] {c.title} ({c.document}; {where})")


def _print_report(report, stream) -> None:
    print(
        f"Tilføjet: {len(report.added)}, erstattet: {len(report.replaced)}, uændret: {len(report.unchanged)}, "
        f"fejl: {len(report.failed)}; {_pieces(report.chunks_written)} på {report.seconds:.1f} s.",
        file=stream,
    )
    for message in report.failed.values():
        print(f"Fejl: {message}", file=sys.stderr)


def _pieces(count: int) -> str:
    return f"{count} tekststykke" if count == 1 else f"{count} tekststykker"


def _stderr_progress(fraction: float, text: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{fraction:5.0%} {text[:70]:<70}", end="", file=sys.stderr, flush=True)
