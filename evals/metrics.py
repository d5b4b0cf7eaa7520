"""Pure scoring functions of the eval runner: fact matching, result comparison and the aggregate
metrics. No I/O and no assistant, so they are unit-tested directly."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeGuard

REL_TOLERANCE = 1e-3  # amounts are rounded to øre by the calculators, percentages to decimals
ABS_TOLERANCE = 0.01


# -- facts ---------------------------------------------------------------------------------------------


_SPACE_BEFORE_PUNCTUATION = re.compile(r" (?=[.,;:!?])")


def normalise(text: str) -> str:
    """Case- and whitespace-insensitive form, so line breaks and non-breaking spaces in a quote
    do not hide a fact that is there. A space before punctuation is dropped on both sides: the
    source extractions write "10 .000" and "1 . juli 2022" where the cleaned quotes (and a reader)
    write "10.000" and "1. juli 2022"."""
    return _SPACE_BEFORE_PUNCTUATION.sub("", " ".join(str(text).split())).casefold()


def fact_present(variants: Iterable[str], haystacks: Iterable[str]) -> bool:
    """True when any allowed variant occurs in any of the texts."""
    texts = [normalise(h) for h in haystacks]
    return any(normalise(v) in text for v in variants for text in texts)


def missing_facts(facts: Iterable[Sequence[str]], haystacks: Sequence[str]) -> list[str]:
    """The facts (shown by their first variant) found in none of the texts."""
    return [group[0] for group in facts if not fact_present(group, haystacks)]


# -- calculator results -------------------------------------------------------------------------------


def values_match(expected: object, actual: object) -> bool:
    """Compare one expected value with the calculator's: dates as YYYY-MM-DD, numbers within a
    small tolerance, everything else exactly (booleans are not numbers here)."""
    if isinstance(expected, (dt.date, dt.datetime)):
        expected = expected.isoformat()[:10]
    if isinstance(actual, (dt.date, dt.datetime)):
        actual = actual.isoformat()[:10]
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if _is_number(expected) and _is_number(actual):
        return math.isclose(float(expected), float(actual), rel_tol=REL_TOLERANCE, abs_tol=ABS_TOLERANCE)
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        return not result_mismatches(expected, actual)
    return expected == actual


def result_mismatches(expected: Mapping[str, object], actual: Mapping[str, object] | None) -> list[str]:
    """One Danish line per expected key the result lacks or disagrees with; empty when all match."""
    if actual is None:
        return ["intet beregningsresultat"]
    problems = []
    for key, want in expected.items():
        key = str(key)
        if key not in actual:
            problems.append(f"{key} mangler i resultatet")
        elif not values_match(want, actual[key]):
            problems.append(f"{key}: forventede {want!r}, fik {actual[key]!r}")
    return problems


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# -- retrieval -----------------------------------------------------------------------------------------


def recall_at_k(ranks: Sequence[int | None], k: int) -> float | None:
    """Share of cases whose expected document is among the first ``k`` hits (ranks are 1-based)."""
    if not ranks:
        return None
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def mean_reciprocal_rank(ranks: Sequence[int | None]) -> float | None:
    """Mean of 1/rank, 0 for a miss; None when no case has an expected document."""
    if not ranks:
        return None
    return sum(1 / r for r in ranks if r) / len(ranks)


# -- abstention, shares and latency ------------------------------------------------------------------


def precision_recall(
    expected: Sequence[bool], predicted: Sequence[bool]
) -> tuple[float | None, float | None]:
    """Precision and recall of the positive class (here: "must abstain"); None when undefined."""
    true_pos = sum(1 for e, p in zip(expected, predicted) if e and p)
    predicted_pos = sum(predicted)
    actual_pos = sum(expected)
    precision = true_pos / predicted_pos if predicted_pos else None
    recall = true_pos / actual_pos if actual_pos else None
    return precision, recall


def share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Metrics:
    """The figures of one group of cases (or of all). None = not applicable to this group."""

    cases: int
    passed: int
    failed: int
    xfailed: int
    xpassed: int
    answer_accuracy: float | None
    citation_accuracy: float | None
    recall_at_5: float | None
    mrr: float | None
    abstention_precision: float | None
    abstention_recall: float | None
    calculator_accuracy: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    first_quote_accuracy: float | None = None  # answerable cases whose first quote alone has every fact
    sikker_answerable: float | None = None  # answerable cases answered "sikker"
    sikker_right: float | None = None  # "sikker" answers that are right (one to an unanswerable case is not)
    daekker_ikke_answerable: float | None = None  # answerable cases answered "dækker ikke"
    unanswerable_not_sikker: float | None = None  # unanswerable cases not answered "sikker"

    def as_dict(self) -> dict[str, float | int | None]:
        return dict(self.__dict__)
