"""Golden-case records for tests that need a ``Case`` without a case file: one answerable 2023-24
case, changed field by field."""

from __future__ import annotations

from dataclasses import replace

from evals.cases import Case

DOC = "rammeaftale-2023-24.txt"


def make_case(**changes) -> Case:
    base = Case(
        id="c1",
        group="2023-24",
        question="Må taksterne stige i 2024?",
        lang="da",
        facts=(("kan ikke stige", "må ikke stige"),),
        expected_document=DOC,
        expected_section=None,
        abstain=False,
        period="2023-24",
        tool=None,
    )
    return replace(base, **changes)
