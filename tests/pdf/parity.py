"""The PDF parity measurement: render the corpus as municipal-looking PDFs, ingest them into a fresh
index and run the golden suite against the text index and the PDF index through the public API.
Used by tests/pdf/test_parity.py (asserted) and benchmarks/pdf_parity.py (reported)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import yaml

from core.settings import Settings, load_settings
from evals.cases import CASES_DIR, Case, load_cases
from evals.runner import PASS, XPASS, RunReport, run_suite
from ingest.loaders import load_document
from ingest.manifest import MANIFEST_NAME, load_manifest
from ingest.prepare import chunk_document
from tests.pdf.rendering import PdfLook, add_table, plan_from_chunks, render_pdf

PASSED = (PASS, XPASS)


@dataclass(frozen=True)
class Parity:
    """How many of the cases that pass on the text corpus also pass on its PDFs."""

    text_passed: int
    kept: int
    lost: tuple[str, ...]  # ids of cases that pass on text but not on the PDFs
    gained: tuple[str, ...]  # ids that pass only on the PDFs
    cited_pages: float  # share of PDF citations (in passing answers) that carry a page number
    pdf_pages: int

    @property
    def share(self) -> float:
        return self.kept / self.text_passed if self.text_passed else 1.0

    def line(self) -> str:
        return (
            f"PDF parity: {self.kept}/{self.text_passed} = {100 * self.share:.1f} % of the cases that pass "
            f"on the text corpus pass on its PDFs ({len(self.gained)} pass only on the PDFs); "
            f"{100 * self.cited_pages:.1f} % of PDF citations carry a page; {self.pdf_pages} PDF pages"
        )


def build_pdf_corpus(source: Path, target: Path) -> dict[str, str]:
    """Render every manifest document of ``source`` into ``target`` as a PDF, with a manifest and
    the data files (rules, glossary, …) pointing at the PDFs. Returns old name -> PDF name."""
    manifest = load_manifest(source)
    target.mkdir(parents=True, exist_ok=True)
    renamed: dict[str, str] = {}
    entries = []
    for entry in manifest.documents:
        chunks = chunk_document(load_document(source / entry.file), manifest)
        plan = plan_from_chunks(chunks, [part.starts_at for part in entry.parts])
        add_table(
            plan,
            [
                ("Titel", entry.title),
                ("Periode", ", ".join(entry.periods)),
                ("Udgiver", entry.publisher or ""),
                ("Dato", entry.date or ""),
            ],
        )
        pdf_name = Path(entry.file).with_suffix(".pdf").name
        (target / pdf_name).write_bytes(render_pdf(plan, PdfLook(entry.title[:70], entry.date or "")))
        renamed[entry.file] = pdf_name
        data = entry.model_dump(exclude_none=True)
        data["file"] = pdf_name
        starts = iter(plan.part_starts)
        for part in data.get("parts", [])[1:]:
            part["starts_at"] = next(starts)
        entries.append(data)
    (target / MANIFEST_NAME).write_text(
        yaml.safe_dump({"documents": entries}, allow_unicode=True), encoding="utf-8"
    )
    for path in source.glob("*.yaml"):
        if path.name != MANIFEST_NAME:
            text = path.read_text(encoding="utf-8")
            for old, new in renamed.items():
                text = text.replace(old, new)
            (target / path.name).write_text(text, encoding="utf-8")
    return renamed


def run_cases(settings: Settings, cases: list[Case]) -> RunReport:
    from assistant.api import Assistant

    assistant = Assistant.open(settings)
    report = assistant.documents.ensure_index()
    assert report is None or report.ok, report
    return run_suite(assistant, cases)


def measure(text_settings: Settings, work: Path, cases_dir: Path = CASES_DIR) -> tuple[Parity, RunReport]:
    """Run the suite on the text index and on a fresh PDF index built under ``work``."""
    cases = load_cases(cases_dir)
    text = run_cases(text_settings, cases)
    renamed = build_pdf_corpus(text_settings.corpus_dir, work / "corpus")
    pdf_settings = load_settings(data_dir=work / "data", corpus_dir=work / "corpus")
    pdf_cases = [
        dataclasses.replace(
            case, expected_document=renamed.get(case.expected_document, case.expected_document)
        )
        for case in cases
    ]
    pdf = run_cases(pdf_settings, pdf_cases)
    return compare(text, pdf, work / "corpus"), pdf


def compare(text: RunReport, pdf: RunReport, pdf_corpus: Path) -> Parity:
    before = {r.case.id for r in text.results if r.status in PASSED}
    after = {r.case.id for r in pdf.results if r.status in PASSED}
    # Passages the answer quotes from the PDFs. A calculator's clauses and the clause a period note
    # cites for a rule carried forward come from rules.yaml, with the page it gives (none for a
    # source without pages, such as the markdown annex), not from the index: they are left out.
    rule_quotes = _rule_quotes(pdf_corpus / "rules.yaml")
    citations = [
        c
        for r in pdf.results
        if r.status in PASSED and r.answer.tool is None
        for c in r.answer.citations
        if c.document.endswith(".pdf") and " ".join(c.quote.split()) not in rule_quotes
    ]
    paged = sum(1 for c in citations if c.page is not None)
    pages = sum(len(load_document(path).pages) for path in sorted(pdf_corpus.glob("*.pdf")))
    return Parity(
        text_passed=len(before),
        kept=len(before & after),
        lost=tuple(sorted(before - after)),
        gained=tuple(sorted(after - before)),
        cited_pages=paged / len(citations) if citations else 0.0,
        pdf_pages=pages,
    )


def _rule_quotes(rules_file: Path) -> set[str]:
    """Every clause quoted in a rules file, whitespace-normalised."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "quote" and isinstance(value, str):
                    found.add(" ".join(value.split()))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load(rules_file.read_text(encoding="utf-8")))
    return found
