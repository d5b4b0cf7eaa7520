"""What the calculators' chat answers and text forms share: clause references and the answer
to input a calculator refuses."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from assistant.calculators.rules import Clause, citations_for
from core.records import Answer, Citation

# Split a question into clauses on commas except inside numbers ("9,5 mio.", "850,000 DKK").
_SEGMENT_SPLIT = re.compile(r",(?!\d)|(?<!\d),|;|\?|\s+og\s+|\s+samt\s+|\s+and\s+|\s+[—–-]\s+", re.IGNORECASE)
_PERIOD_RANGE = re.compile(r"(?<!\d)(?:19|20)\d\d\s*[-–/]\s*(?:(?:19|20)\d\d|\d\d)(?!\d)")
TARIFF_WORDS = re.compile(r"takst|tarif", re.IGNORECASE)
CHECK_WORDS = re.compile(
    r"takstaftale|overhold|lever\w* op til|må taksten stige|stiger taksten|tariff agreement|complian",
    re.IGNORECASE,
)


def segments(question: str) -> list[str]:
    """The question's clauses, period ranges ("2023-24") blanked so they read as no amount."""
    return [s for s in _SEGMENT_SPLIT.split(_PERIOD_RANGE.sub(" ", question)) if s]


def error_answer(question: str, tool: str, message: str, period: str | None) -> Answer:
    return Answer(
        question=question,
        answer=f"Jeg kan ikke regne det ud: {message}",
        abstained=False,
        period=period,
        tool=tool,
        notes=("inputfejl",),
        tool_result={"error": message},
    )


def refs(citations: tuple[Citation, ...]) -> Callable[[Clause], str]:
    """A function giving '[n]' for a clause, matched on document and quote."""
    index = {(c.document, c.quote): c.n for c in citations}

    def ref(clause: Clause) -> str:
        n = index.get((clause.document, clause.quote))
        return f"[{n}]" if n else ""

    return ref


def ref_list(ref: Callable[[Clause], str], clauses: Iterable[Clause]) -> str:
    return "".join(dict.fromkeys(ref(c) for c in clauses))


def source_lines(clauses: tuple[Clause, ...]) -> list[str]:
    """The clauses as numbered sources, for the text form."""
    lines = ["", "Kilder:"]
    for c in citations_for(clauses):
        page = f", s. {c.page}" if c.page else ""
        lines.append(f"  [{c.n}] {c.title} ({c.document}), {c.section}{page}: »{c.quote}«")
    return lines
