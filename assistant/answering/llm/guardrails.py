"""Pure checks on a generated answer before anyone sees it as an answer.

A generated answer is only shown when every [n] points at a passage the model was given, it cites
at all when it was given passages, and every number in it can be traced to the sources, the user's
own words or a calculator result – the model never does arithmetic, so a number from nowhere is a
hallucination or a sum it made up. Reasons are Danish because they are shown in the fallback note.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core.parsing import find_amounts, find_dates

_CITATION = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Verdict:
    """Whether a generated answer may be shown, and if not, why."""

    ok: bool
    reasons: tuple[str, ...] = ()
    cited: tuple[int, ...] = ()  # citation numbers used, in first-use order


def cited_numbers(text: str) -> tuple[int, ...]:
    """The [n] numbers in ``text`` in first-use order; "[1, 3]" counts as 1 and 3."""
    found: list[int] = []
    for match in _CITATION.finditer(text):
        for part in re.split(r"[,;]", match.group(1)):
            n = int(part)
            if n not in found:
                found.append(n)
    return tuple(found)


def citation_problems(text: str, valid: Collection[int]) -> list[str]:
    """Citations to passages that were never given; a missing citation when some were given."""
    cited = cited_numbers(text)
    problems = [
        f"svaret henviser til [{n}], som ikke er en af de givne kilder" for n in cited if n not in valid
    ]
    if valid and not cited:
        problems.append("svaret mangler kildehenvisninger")
    return problems


def unverified_numbers(text: str, evidence: Iterable[str]) -> list[str]:
    """Numbers in ``text`` (citation markers aside) whose value occurs in none of ``evidence``.

    Values are compared, not spellings, so "1.500.000 kr." matches "1500000.0" from a calculator and
    "9,5" matches "9.5"; "2024-04-30" provides 2024, 4 and 30.
    """
    known: set[Decimal] = set()
    for item in evidence:
        for token in _NUMBER.findall(expand_evidence(item)):
            known |= number_values(token)
    missing: list[str] = []
    for token in _NUMBER.findall(_CITATION.sub(" ", text)):
        if not number_values(token) & known and token not in missing:
            missing.append(token)
    return missing


def expand_evidence(text: str) -> str:
    """``text`` plus the numbers it means in words: "15. marts 2024" also provides 2024-03-15 (so
    3 is known), "9,5 mio." also provides 9500000 – the forms a calculator call or answer uses."""
    dates = [m.value.isoformat() for m in find_dates(text) if m.value is not None]
    amounts = [repr(m.value) for m in find_amounts(text)]
    return " ".join([text, *dates, *amounts])


def check_answer(text: str, valid: Collection[int], evidence: Iterable[str]) -> Verdict:
    """All guardrails at once; ``evidence`` = source texts, the question(s) and tool results."""
    if not text.strip():
        return Verdict(False, ("svaret er tomt",))
    reasons = citation_problems(text, valid)
    reasons += [
        f"tallet {token} står hverken i kilderne, spørgsmålet eller en beregning"
        for token in unverified_numbers(text, evidence)
    ]
    return Verdict(not reasons, tuple(reasons), cited_numbers(text))


def number_values(token: str) -> set[Decimal]:
    """Every value a number token can mean in Danish or English notation.

    "1.000" is a thousand (Danish) or one (English); "9,5" is nine and a half; "1.234.567,89" has
    thousands separators and a decimal comma. Ambiguity widens the match instead of guessing.
    """
    seps = [ch for ch in token if ch in ".,"]
    if not seps:
        return _decimal(token)
    if len(set(seps)) == 2:  # both kinds: the last one is the decimal separator
        decimal_sep = seps[-1]
        whole, _, fraction = token.rpartition(decimal_sep)
        return _decimal(re.sub(r"[.,]", "", whole) + "." + fraction)
    if len(seps) > 1:  # one kind, repeated: thousands separators (or a dotted date like 30.04.2024)
        values = _decimal(token.replace(seps[0], ""))
        for part in token.split(seps[0]):
            values |= _decimal(part)
        return values
    whole, fraction = token.split(seps[0])
    values = _decimal(f"{whole}.{fraction}")
    if len(fraction) == 3:
        values |= _decimal(whole + fraction)
    return values


def _decimal(text: str) -> set[Decimal]:
    try:
        return {Decimal(text).normalize()}
    except InvalidOperation:
        return set()
