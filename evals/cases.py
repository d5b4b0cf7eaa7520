"""Golden eval cases: YAML files validated at the edge, frozen dataclasses inside.

Each file under ``evals/cases/`` holds one *group* of cases (a period file such as ``2023-24.yaml``,
``general.yaml``, ``unanswerable.yaml`` or the chat-captured ``captured.yaml``); the group is the
file's stem and is what reports break figures down by. A case's own ``period`` is the agreement
period the question implies – a label, not a filter (see :mod:`evals.runner`).

Saving a chat answer as a new case also lives here (:func:`append_case`) so the UI stays thin and
the write path is validated by the same model as the loader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from core.files import write_atomic
from core.periods import is_period_name
from core.settings import PROJECT_ROOT
from core.yamlfiles import read_yaml

CASES_DIR = PROJECT_ROOT / "evals" / "cases"
CAPTURED_FILE = "captured.yaml"
TOOLS = ("notice", "tariff", "check_tariffs")
_CAPTURED_HEADER = (
    '# Cases saved from the chat page ("Gem som eval-case") after a staff member confirmed the facts.\n'
    "# Written by evals.cases.append_case; review them like any other golden case.\n"
)


class CaseFileError(ValueError):
    """A case file that cannot be read or does not match the schema; the message names file and case."""


# -- validation models (the edge) -------------------------------------------------------------------


class CaseModel(BaseModel):
    """One golden case as written in YAML. Unknown keys are errors so a typo cannot silently
    switch a check off."""

    model_config = ConfigDict(extra="forbid")

    id: str
    question: str
    lang: Literal["da", "en"] = "da"
    facts: list[list[str]] = []
    expected_document: str | None = None
    expected_section: str | None = None
    abstain: bool = False
    period: str | None = None
    tool: Literal["notice", "tariff", "check_tariffs"] | None = None
    tool_input: dict[str, Any] | None = None
    expected_result: dict[str, Any] | None = None
    xfail: str | None = None
    note: str = ""

    @field_validator("id", "question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("må ikke være tom")
        return value.strip()

    @field_validator("facts")
    @classmethod
    def _facts_have_variants(cls, facts: list[list[str]]) -> list[list[str]]:
        for group in facts:
            if not group or any(not str(variant).strip() for variant in group):
                raise ValueError("hvert faktum skal have mindst én ikke-tom variant")
        return facts

    @field_validator("period")
    @classmethod
    def _known_period(cls, period: str | None) -> str | None:
        if period is not None and not is_period_name(period):
            raise ValueError(f"ukendt periode {period!r}; skriv fx 2023-24 eller 2017")
        return period

    @field_validator("xfail")
    @classmethod
    def _xfail_has_reason(cls, reason: str | None) -> str | None:
        if reason is not None and not reason.strip():
            raise ValueError("xfail skal angive en begrundelse")
        return reason

    @model_validator(mode="after")
    def _consistent(self) -> CaseModel:
        if (self.tool is None) != (self.expected_result is None):
            raise ValueError("tool og expected_result skal angives sammen")
        if self.abstain and (self.facts or self.tool):
            raise ValueError("en case med abstain: true kan ikke kræve fakta eller et værktøj")
        if not self.abstain and not (self.facts or self.expected_document or self.tool):
            raise ValueError("en case skal kræve mindst ét af: facts, expected_document, tool")
        return self


class CaseFileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: str | None = None
    # Written from the documents alone by a writer who saw no code and no answer (a spent sealed
    # set): its questions stand for the ones caseworkers will ask, see evals/picker_training.py.
    written_blind: bool = False
    cases: list[CaseModel] = []


# -- records (inside) --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A validated golden case. ``group`` is the file it came from (its stem)."""

    id: str
    group: str
    question: str
    lang: str
    facts: tuple[tuple[str, ...], ...]
    expected_document: str | None
    expected_section: str | None
    abstain: bool
    period: str | None
    tool: str | None
    tool_input: dict | None = field(default=None, compare=False)
    expected_result: dict | None = field(default=None, compare=False)
    xfail: str | None = None
    note: str = ""
    written_blind: bool = False  # its file's flag: one writer's set, written from the documents alone

    @classmethod
    def from_model(cls, model: CaseModel, group: str, written_blind: bool = False) -> Case:
        return cls(
            id=model.id,
            group=group,
            question=model.question,
            lang=model.lang,
            facts=tuple(tuple(str(v) for v in group_) for group_ in model.facts),
            expected_document=model.expected_document,
            expected_section=model.expected_section,
            abstain=model.abstain,
            period=model.period,
            tool=model.tool,
            tool_input=model.tool_input,
            expected_result=model.expected_result,
            xfail=model.xfail,
            note=model.note,
            written_blind=written_blind,
        )


# -- loading ---------------------------------------------------------------------------------------------


def load_cases(cases_dir: Path = CASES_DIR) -> list[Case]:
    """All cases of every ``*.yaml`` file in ``cases_dir``, in file order; ids must be unique."""
    paths = sorted(Path(cases_dir).glob("*.yaml"))
    if not paths:
        raise CaseFileError(f"Ingen kontrolspørgsmål (*.yaml) i {cases_dir}")
    cases = [case for path in paths for case in load_case_file(path)]
    _check_unique_ids(cases)
    return cases


def load_case_file(path: Path) -> list[Case]:
    """The cases of one file, with the file's stem as their group."""
    model = _parse_file(path)
    return [Case.from_model(case, path.stem, model.written_blind) for case in model.cases]


def groups_of(cases: list[Case]) -> list[str]:
    """Group names in first-seen order (period files sort before general/unanswerable/captured)."""
    return list(dict.fromkeys(case.group for case in cases))


def _parse_file(path: Path) -> CaseFileModel:
    try:
        raw = read_yaml(path) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CaseFileError(f"{path}: kan ikke læses som YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise CaseFileError(f"{path}: forventede en mapping med 'period' og 'cases'")
    try:
        return CaseFileModel.model_validate(raw)
    except ValidationError as exc:
        raise CaseFileError(f"{path}: {_describe(exc, raw)}") from exc


def _describe(exc: ValidationError, raw: dict) -> str:
    """Name the case (by position and id) and field of each error, not pydantic's raw dump."""
    messages = []
    for error in exc.errors():
        loc = list(error["loc"])
        where = ".".join(str(part) for part in loc)
        if len(loc) >= 2 and loc[0] == "cases" and isinstance(loc[1], int):
            case = (raw.get("cases") or [])[loc[1]]
            case_id = case.get("id", "?") if isinstance(case, dict) else "?"
            field_path = ".".join(str(part) for part in loc[2:]) or "(casen)"
            where = f"case {loc[1] + 1} (id {case_id!r}), felt {field_path}"
        messages.append(f"{where}: {error['msg']}")
    return "; ".join(messages)


def _check_unique_ids(cases: list[Case]) -> None:
    seen: dict[str, str] = {}
    for case in cases:
        if case.id in seen:
            raise CaseFileError(f"Case-id {case.id!r} findes både i {seen[case.id]} og {case.group}")
        seen[case.id] = case.group


# -- capturing a chat answer as a new case ------------------------------------------------------------


def append_case(draft: dict[str, Any], cases_dir: Path = CASES_DIR) -> Case:
    """Validate ``draft`` as a case and append it to ``captured.yaml`` (created when missing).

    The id is made unique across the whole suite (a clash gets a numeric suffix) and the file is
    replaced atomically, so a crash or a concurrent reader never sees half a file.
    """
    cases_dir = Path(cases_dir)
    path = cases_dir / CAPTURED_FILE
    existing = {case.id for case in load_cases(cases_dir)} if any(cases_dir.glob("*.yaml")) else set()
    document = _parse_file(path).model_dump() if path.exists() else {"period": None, "cases": []}
    entry = {**draft, "id": unique_id(draft.get("id") or draft.get("question", ""), existing)}
    try:
        model = CaseModel.model_validate(entry)
    except ValidationError as exc:
        raise CaseFileError(f"Casen kan ikke gemmes: {_describe(exc, {'cases': [entry]})}") from exc
    document["cases"].append(model.model_dump())
    path.parent.mkdir(parents=True, exist_ok=True)
    text = _CAPTURED_HEADER + yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    write_atomic(path, text.encode("utf-8"))
    return Case.from_model(model, path.stem)


def unique_id(seed: str, taken: set[str]) -> str:
    """A readable id ("cap-hvad-er-opsigelsesvarslet") not in ``taken``."""
    base = seed if seed.startswith("cap-") else "cap-" + slugify(seed)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


_ASCII_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})  # type: ignore[arg-type]  # typeshed: dict invariance


def slugify(text: str, max_len: int = 40) -> str:
    ascii_text = text.casefold().translate(_ASCII_LETTERS)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:max_len].rstrip("-") or "case"


# The result keys worth pinning per calculator: the verdict a caseworker acts on, not the prose.
PINNED_RESULT_KEYS: dict[str, tuple[str, ...]] = {
    "notice": ("last_paid_day", "period"),
    "check_tariffs": ("compliant",),
    "tariff": ("occupancy_pct", "daily_tariff"),
}


@dataclass(frozen=True)
class CaseEdits:
    """What the staff member confirmed in the chat's "Gem som eval-case" form."""

    facts: list[list[str]]
    expected_document: str | None
    period: str | None
    abstain: bool


def draft_case(answer: Any, edits: CaseEdits) -> dict[str, Any]:
    """A case draft from a chat answer (a ``core.records.Answer``) and the confirmed edits. A
    calculator answer also pins its tool and key results, so the case checks the arithmetic too."""
    draft: dict[str, Any] = {
        "question": answer.question,
        "lang": "da",
        "facts": [] if edits.abstain else edits.facts,
        "expected_document": None if edits.abstain else (edits.expected_document or None),
        "abstain": edits.abstain,
        "period": edits.period,
        "note": "Gemt fra chatten.",
    }
    pinned = pinned_result(answer.tool, answer.tool_result)
    if pinned and not edits.abstain:
        draft.update(tool=answer.tool, expected_result=pinned)
    return draft


def pinned_result(tool: str | None, result: dict | None) -> dict[str, Any] | None:
    """The pinned keys of a calculator result; None for no tool, an error or missing inputs."""
    if not tool or not result or tool not in PINNED_RESULT_KEYS:
        return None
    pinned = {key: result[key] for key in PINNED_RESULT_KEYS[tool] if key in result}
    return pinned or None


def suggested_facts(answer: Any) -> list[list[str]]:
    """Prefill for the facts field: key phrases of the first citation's quote (none for an
    abstention, where the case must not demand facts, nor for a calculator answer)."""
    if answer.abstained or not answer.citations or pinned_result(answer.tool, answer.tool_result):
        return []  # a calculator case is pinned by its result; quoted clauses are the rule, not the answer
    return suggest_facts(answer.citations[0].quote)


def parse_facts(text: str) -> list[list[str]]:
    """Facts as staff type them: one fact per line, allowed variants separated by '|'."""
    facts = []
    for line in text.splitlines():
        variants = [v.strip() for v in line.split("|") if v.strip()]
        if variants:
            facts.append(variants)
    return facts


def format_facts(facts: list[list[str]] | tuple[tuple[str, ...], ...]) -> str:
    """Inverse of :func:`parse_facts`, for prefilling the text area."""
    return "\n".join(" | ".join(group) for group in facts)


_CLAUSE_SPLIT = re.compile(r"(?<=[.;:!?])\s+|,\s+|\s+[–—-]\s+|\n+")


def suggest_facts(quote: str, limit: int = 3) -> list[list[str]]:
    """Key phrases of a quoted passage to prefill the facts: short clauses that carry a number or a
    long (domain) word, because those are what a correct answer must repeat. Staff edit them."""
    clauses = [" ".join(c.split()).strip(" ,.;:") for c in _CLAUSE_SPLIT.split(quote or "")]
    scored = [(_phrase_score(c), i, c) for i, c in enumerate(clauses) if c]
    picked = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))[:limit]
    return [[_shorten(c)] for _, _, c in sorted(picked, key=lambda s: s[1])]


def _phrase_score(clause: str) -> int:
    words = clause.split()
    if len(words) < 2:
        return 0
    return 2 * any(ch.isdigit() for ch in clause) + sum(len(w) >= 10 for w in words)


def _shorten(clause: str, max_words: int = 8) -> str:
    """Keep the part around the first number (or the start) so the fact stays checkable."""
    words = clause.split()
    if len(words) <= max_words:
        return clause
    digit_at = next((i for i, w in enumerate(words) if any(ch.isdigit() for ch in w)), 0)
    start = max(0, min(digit_at - max_words // 2, len(words) - max_words))
    return " ".join(words[start : start + max_words]).strip(" ,.;:")
