"""The golden eval cases are data: validate their shape, grounding and coverage before any run."""

from __future__ import annotations

import calendar
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

import pytest
import yaml
from pydantic import model_validator

from evals.cases import CASES_DIR, TOOLS, CaseFileModel, CaseModel, load_case_file
from ingest.cleaning import normalize_for_match
from tests.bundled import BUNDLED_PERIODS as PERIODS

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
PERIOD_MINIMUM = {"2017": 15, "2021-22": 15, "2023-24": 15, "2019-20": 6, "2025-26": 6}
EXTRA_FILES = ("general", "unanswerable")


class Case(CaseModel):
    """The loader's model (``evals.cases.CaseModel``) plus what a hand-written golden file keeps
    to: the main keys written out, an answerable case names its document and its facts, an abstain
    case none, and only calculator cases carry tool input."""

    lang: Literal["da", "en"]
    facts: list[list[str]]
    expected_document: str | None
    abstain: bool

    @model_validator(mode="after")
    def _golden(self) -> Case:
        if self.abstain:
            if self.expected_document is not None or self.facts or self.tool:
                raise ValueError("an abstain case has no expected_document, facts or tool")
        else:
            if not self.expected_document or not self.facts:
                raise ValueError("an answerable case needs expected_document and facts")
        if self.tool:
            if not self.tool_input:
                raise ValueError("a calculator case needs tool_input")
            if self.tool != "tariff" and not self.expected_result:
                raise ValueError(f"a {self.tool} case needs expected_result")
        elif self.tool_input is not None or self.expected_result is not None:
            raise ValueError("tool_input/expected_result only belong to calculator cases")
        return self


class CaseFile(CaseFileModel):
    period: str | None
    cases: list[Case]


def _case_files() -> list[Path]:
    return sorted(CASES_DIR.glob("*.yaml"))


@cache
def _load(path: Path) -> CaseFile:
    return CaseFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def _doc(name: str) -> str:
    return normalize_for_match((CORPUS / name).read_text(encoding="utf-8"))


def _all_cases() -> list[tuple[str, Case]]:
    return [(path.stem, case) for path in _case_files() for case in _load(path).cases]


def _found(variants: list[str], text: str) -> bool:
    return any(normalize_for_match(v) in text for v in variants)


def test_expected_files_exist() -> None:
    names = {p.stem for p in _case_files()}
    assert set(PERIODS) | set(EXTRA_FILES) <= names


@pytest.mark.parametrize("path", _case_files(), ids=lambda p: p.name)
def test_file_validates_and_names_its_period(path: Path) -> None:
    data = _load(path)
    assert data.period == (path.stem if path.stem in PERIODS else None)


def test_a_file_written_blind_marks_every_case_and_others_mark_none(tmp_path: Path) -> None:
    case = {"id": "x1", "question": "Hvad er opsigelsesvarslet?", "facts": [["3 måneder"]]}
    for flag in (True, False):
        path = tmp_path / f"set-{flag}.yaml"
        path.write_text(yaml.safe_dump({"written_blind": flag, "cases": [case]}), encoding="utf-8")
        assert [c.written_blind for c in load_case_file(path)] == [flag]
    assert not load_case_file(CASES_DIR / "2017.yaml")[0].written_blind  # the default


def test_ids_are_unique_across_files() -> None:
    ids = [case.id for _, case in _all_cases()]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, duplicates


def test_expected_documents_exist() -> None:
    missing = [
        (c.id, c.expected_document)
        for _, c in _all_cases()
        if c.expected_document and not (CORPUS / c.expected_document).is_file()
    ]
    assert not missing, missing


@pytest.mark.parametrize("period", sorted(PERIOD_MINIMUM))
def test_minimum_cases_per_period(period: str) -> None:
    cases = _load(CASES_DIR / f"{period}.yaml").cases
    assert len(cases) >= PERIOD_MINIMUM[period]
    assert not any(c.abstain for c in cases), "abstain cases belong in unanswerable.yaml"


@pytest.mark.parametrize("period", PERIODS)
def test_calculator_cases_in_every_period(period: str) -> None:
    tools = [c.tool for c in _load(CASES_DIR / f"{period}.yaml").cases if c.tool]
    assert "notice" in tools and "check_tariffs" in tools, tools


def test_calculator_coverage() -> None:
    notices = [c for _, c in _all_cases() if c.tool == "notice"]
    assert any(c.tool_input["death"] for c in notices)
    assert any(c.tool_input["place_type"] == "objective40" for c in notices)
    assert {c.tool for _, c in _all_cases() if c.tool} == set(TOOLS)


def test_unanswerable_cases() -> None:
    cases = _load(CASES_DIR / "unanswerable.yaml").cases
    assert len(cases) >= 10
    assert all(c.abstain for c in cases)


def test_language_mix() -> None:
    cases = [c for _, c in _all_cases()]
    english = sum(c.lang == "en" for c in cases)
    # paraphrases.yaml asks each Danish case once more in English, so English is over a third
    assert 0.3 <= english / len(cases) <= 0.45, english / len(cases)


def test_facts_are_grounded_in_the_corpus() -> None:
    """Every fact of a document answer occurs in the corpus; at least one in the expected document."""
    corpus = " ".join(_doc(p.name) for p in CORPUS.iterdir() if p.suffix in (".txt", ".md"))
    problems = []
    for _, case in _all_cases():
        if case.abstain or case.tool:
            continue
        problems += [(case.id, fact) for fact in case.facts if not _found(fact, corpus)]
        if not any(_found(fact, _doc(case.expected_document)) for fact in case.facts):
            problems.append((case.id, f"no fact in {case.expected_document}"))
    assert not problems, problems


def _last_day_of_next_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, calendar.monthrange(year, month)[1])


def test_notice_expectations_follow_the_rule() -> None:
    """'Løbende måned plus én måned', computed independently of the calculator code."""
    for _, case in _all_cases():
        if case.tool != "notice":
            continue
        given = date.fromisoformat(case.tool_input["notice_date"])
        expected = case.expected_result["last_paid_day"]
        if case.tool_input["place_type"] == "objective40":
            assert expected is None and case.expected_result["applies"] is False, case.id
        else:
            assert expected == _last_day_of_next_month(given).isoformat(), case.id
