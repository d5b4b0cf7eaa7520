"""Run golden cases through the assistant's public API – the same ``ask``/``search`` the app and
CLI use – and score them.

Each case is asked with no period filter, like a user who leaves the period on "Alle perioder":
the case's ``period`` is the period the question implies (it names it), and ``ask`` detects it from
the question itself. Retrieval metrics search with that period and, when the filter finds nothing
(2019-20 has no documents of its own), without it – the same fallback ``ask`` makes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from core.records import DAEKKER_IKKE, SIKKER, Answer, Hit
from evals.cases import Case
from evals.metrics import (
    Metrics,
    mean_reciprocal_rank,
    missing_facts,
    percentile,
    precision_recall,
    recall_at_k,
    result_mismatches,
    share,
)

log = logging.getLogger(__name__)

PASS, FAIL, XFAIL, XPASS = "PASS", "FAIL", "XFAIL", "XPASS"
RETRIEVAL_K = 5

Progress = Callable[[int, int, Case], None]  # (done, total, case just finished)


class AskingAssistant(Protocol):
    """The slice of :class:`assistant.api.Assistant` the runner needs (a fake in unit tests)."""

    def ask(self, question: str, period: str | None = None) -> Answer: ...

    def search(self, question: str, period: str | None = None, k: int | None = None) -> list[Hit]: ...


@dataclass(frozen=True)
class RunOptions:
    """What to run: the groups (file stems) to include – all when empty – and a progress callback."""

    groups: tuple[str, ...] = ()
    k: int = RETRIEVAL_K
    progress: Progress | None = None


@dataclass(frozen=True)
class Check:
    """One named check of a case; ``detail`` says what went wrong (Danish, shown to staff)."""

    name: str
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class CaseResult:
    case: Case
    status: str  # PASS | FAIL | XFAIL | XPASS
    checks: tuple[Check, ...]
    answer: Answer
    retrieval_rank: int | None  # 1-based rank of the expected document in search; None = not in top k
    latency_ms: float

    @property
    def reason(self) -> str:
        """Why it failed (or, for an xfail, the reason it is expected to)."""
        failures = "; ".join(c.detail for c in self.checks if not c.ok and c.detail)
        if self.status == XFAIL:
            return f"forventet fejl: {self.case.xfail} ({failures})"
        if self.status == XPASS:
            return f"består trods xfail: {self.case.xfail}"
        return failures or "ok"

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)


@dataclass(frozen=True)
class RunReport:
    results: tuple[CaseResult, ...]
    by_group: dict[str, Metrics] = field(compare=False)
    overall: Metrics
    by_language: dict[str, Metrics] = field(default_factory=dict, compare=False)  # "da", "en"

    @property
    def failed(self) -> list[CaseResult]:
        return [r for r in self.results if r.status == FAIL]

    @property
    def ok(self) -> bool:
        """True when no pinned case failed; xfail and XPASS never fail the run."""
        return not self.failed


# -- running -----------------------------------------------------------------------------------------------


def run_suite(
    assistant: AskingAssistant, cases: Sequence[Case], options: RunOptions = RunOptions()
) -> RunReport:
    """Run the selected cases in order and aggregate per group and overall."""
    selected = select_cases(cases, options.groups)
    results = []
    for done, case in enumerate(selected, start=1):
        results.append(run_case(assistant, case, options.k))
        if options.progress:
            options.progress(done, len(selected), case)
    return build_report(results)


def select_cases(cases: Sequence[Case], groups: Sequence[str]) -> list[Case]:
    if not groups:
        return list(cases)
    unknown = set(groups) - {case.group for case in cases}
    if unknown:
        known = ", ".join(dict.fromkeys(case.group for case in cases))
        raise ValueError(
            f"Ukendt gruppe af kontrolspørgsmål: {', '.join(sorted(unknown))}. Gyldige: {known}."
        )
    return [case for case in cases if case.group in groups]


def run_case(assistant: AskingAssistant, case: Case, k: int = RETRIEVAL_K) -> CaseResult:
    """Ask, search and score one case. An exception in the assistant is a failed case, not a
    crashed run, so one bad question cannot hide the rest of the report."""
    answer, latency_ms, error = timed_ask(assistant, case.question)
    if error:
        checks: tuple[Check, ...] = (Check("fejl", False, f"assistenten fejlede: {error}"),)
        return CaseResult(case, status_of(case, checks), checks, answer, None, latency_ms)
    checks = score_answer(case, answer)
    rank = retrieval_rank(assistant, case, k)
    return CaseResult(case, status_of(case, checks), checks, answer, rank, latency_ms)


def timed_ask(assistant: AskingAssistant, question: str) -> tuple[Answer, float, str]:
    """The answer, the latency of ``ask`` alone (what a user waits for) and an error text."""
    started = time.perf_counter()
    try:
        answer, error = assistant.ask(question, None), ""
    except Exception as exc:  # noqa: BLE001 - reported as the case's failure reason
        log.exception("ask raised for %r", question)
        answer, error = Answer(question, "", False, None), f"{type(exc).__name__}: {exc}"
    return answer, 1000 * (time.perf_counter() - started), error


def status_of(case: Case, checks: Sequence[Check]) -> str:
    passed = all(c.ok for c in checks)
    if case.xfail:
        return XPASS if passed else XFAIL
    return PASS if passed else FAIL


def retrieval_rank(assistant: AskingAssistant, case: Case, k: int = RETRIEVAL_K) -> int | None:
    """1-based rank of the first top-k hit from the expected document (and section, when pinned)."""
    if not case.expected_document:
        return None
    hits = assistant.search(case.question, case.period, k=k) if case.period else []
    if not hits:
        hits = assistant.search(case.question, None, k=k)
    for rank, hit in enumerate(hits[:k], start=1):
        if hit_matches(case, hit):
            return rank
    return None


def hit_matches(case: Case, hit: Hit) -> bool:
    if hit.chunk.document != case.expected_document:
        return False
    section = (case.expected_section or "").casefold()
    return not section or section in hit.chunk.section.casefold()


# -- scoring one answer ------------------------------------------------------------------------------------


def score_answer(case: Case, answer: Answer) -> tuple[Check, ...]:
    """The checks that apply to the case, in a fixed order: abstention, facts, citation, tool."""
    checks = [check_abstention(case, answer)]
    if case.abstain:
        return tuple(checks)
    if case.facts:
        checks.append(check_facts(case, answer))
    if case.expected_document:
        checks.append(check_citation(case, answer))
    if case.tool:
        checks.append(check_tool(case, answer))
    return tuple(checks)


def check_abstention(case: Case, answer: Answer) -> Check:
    """An unanswerable case must not get a sure answer: "dækker ikke", or the nearest passage
    under a hedge ("usikker"), both say the documents do not settle it."""
    if case.abstain:
        if answer.confidence != SIKKER:
            return Check("afstår", True)
        return Check("afstår", False, "svarede sikkert, men dokumenterne dækker ikke spørgsmålet")
    if not answer.abstained:
        return Check("afstår", True)
    return Check("afstår", False, "afstod fra at svare")


def check_facts(case: Case, answer: Answer) -> Check:
    if answer.abstained:  # the abstention check already says why; nearest passages are no answer
        return Check("fakta", False)
    texts = [answer.answer, *(c.quote for c in answer.citations)]
    missing = missing_facts(case.facts, texts)
    if not missing:
        return Check("fakta", True)
    return Check("fakta", False, "mangler fakta: " + ", ".join(f"»{m}«" for m in missing))


def check_citation(case: Case, answer: Answer) -> Check:
    if answer.abstained:  # passages shown under an abstention are not citations
        return Check("kilde", False)
    cited = list(dict.fromkeys(c.document for c in answer.citations))
    if case.expected_document in cited:
        return Check("kilde", True)
    shown = ", ".join(cited) or "ingen"
    return Check("kilde", False, f"citerer ikke {case.expected_document} (citerede: {shown})")


def check_tool(case: Case, answer: Answer) -> Check:
    if answer.tool != case.tool:
        return Check("beregner", False, f"forventede beregneren {case.tool}, fik {answer.tool or 'ingen'}")
    problems = result_mismatches(case.expected_result or {}, answer.tool_result)
    if problems:
        return Check("beregner", False, f"{case.tool}: " + "; ".join(problems))
    return Check("beregner", True)


# -- aggregating ------------------------------------------------------------------------------------------


def build_report(results: Sequence[CaseResult]) -> RunReport:
    groups = dict.fromkeys(r.case.group for r in results)
    by_group = {g: compute_metrics([r for r in results if r.case.group == g]) for g in groups}
    languages = dict.fromkeys(r.case.lang for r in results)
    by_language = {lang: compute_metrics([r for r in results if r.case.lang == lang]) for lang in languages}
    return RunReport(tuple(results), by_group, compute_metrics(results), by_language)


def compute_metrics(results: Sequence[CaseResult]) -> Metrics:
    """Figures over all results given, xfail cases included: metrics measure the assistant, the
    xfail marker only decides whether a failure breaks the run."""
    answerable = [r for r in results if not r.case.abstain]
    with_doc = [r for r in answerable if r.case.expected_document]
    # Retrieval figures cover the answers built from retrieval. A calculator answer cites the
    # clause its rule is pinned to (checked by "kilde" and "beregner"); no search produces it.
    ranks = [r.retrieval_rank for r in with_doc if not r.case.tool]
    calculator = [r for r in results if r.case.tool]
    must_abstain = [r.case.abstain for r in results]
    precision, recall = precision_recall(must_abstain, [r.answer.abstained for r in results])
    latencies = [r.latency_ms for r in results]
    statuses = [r.status for r in results]
    return Metrics(
        cases=len(results),
        passed=statuses.count(PASS),
        failed=statuses.count(FAIL),
        xfailed=statuses.count(XFAIL),
        xpassed=statuses.count(XPASS),
        answer_accuracy=share([_ok(r, "afstår") and _ok(r, "fakta") for r in answerable]),
        citation_accuracy=share([_ok(r, "kilde") for r in with_doc]),
        recall_at_5=recall_at_k(ranks, RETRIEVAL_K),
        mrr=mean_reciprocal_rank(ranks),
        abstention_precision=precision,
        abstention_recall=recall,
        calculator_accuracy=share([_ok(r, "beregner") for r in calculator]),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        first_quote_accuracy=share([_first_quote_right(r) for r in answerable if not r.case.tool]),
        sikker_answerable=share([r.answer.confidence == SIKKER for r in answerable]),
        sikker_right=share([_right(r) for r in results if r.answer.confidence == SIKKER]),
        daekker_ikke_answerable=share([r.answer.confidence == DAEKKER_IKKE for r in answerable]),
        unanswerable_not_sikker=share([r.answer.confidence != SIKKER for r in results if r.case.abstain]),
    )


def _first_quote_right(result: CaseResult) -> bool:
    """The first quote alone carries every fact: the answer comes first, evidence after it."""
    answer = result.answer
    if answer.abstained or not answer.citations or not result.case.facts:
        return False
    return not missing_facts(result.case.facts, [answer.citations[0].quote])


def _right(result: CaseResult) -> bool:
    """An answer to an answerable case with every fact (and the calculator's result, if any)."""
    return (
        not result.case.abstain and _ok(result, "afstår") and _ok(result, "fakta") and _ok(result, "beregner")
    )


def _ok(result: CaseResult, name: str) -> bool:
    """A check that did not apply counts as passed; a case that errored fails everything."""
    if result.check("fejl"):
        return False
    check = result.check(name)
    return check is None or check.ok
