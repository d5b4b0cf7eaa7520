"""A question, understood once. What the rest of the assistant needs from the question's words is
read here, in one pass, and carried as one frozen value: retrieval, answer picking, the calculators
and the checks read its fields. Only the index-dependent weighing of its words is left to the
lexical index, once per search scope (LexicalIndex.question_words, known_share)."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.calculators.registry import Calculation, Intent, read_calculation
from assistant.understanding.answer_types import AnswerShape, asks_office_holder
from assistant.understanding.query import ExpandedQuery, QueryExpander
from core.periods import PeriodCalendar


@dataclass(frozen=True)
class PeriodMentions:
    """The agreement periods a question names, against the periods the product knows."""

    named: str | None = None  # the single known period it is about ("i 2024"); None for none or several
    spanned: tuple[str, ...] = ()  # every period a range touches: what a comparison compares
    later: tuple[str, ...] = ()  # periods named after the documents' last one ("rammeaftalen 2027-28")

    @classmethod
    def of(cls, text: str, calendar: PeriodCalendar) -> PeriodMentions:
        return cls(calendar.detect(text), tuple(calendar.spanned(text)), tuple(calendar.after(text)))


@dataclass(frozen=True)
class QuestionAnalysis:
    text: str
    periods: PeriodMentions
    calculation: Calculation | None  # the calculator asked for and its inputs; None: retrieval
    query: ExpandedQuery  # the question in the agreements' words, for retrieval and evidence
    asks_office_holder: bool  # "hvem var formand for KKR i 2025?": does not carry over between periods

    @property
    def shape(self) -> AnswerShape:
        """The kind of fact asked for and the facts demanded (read once, with the query)."""
        return self.query.shape


def analyze(
    question: str, calendar: PeriodCalendar, expander: QueryExpander, means_notice: Intent | None = None
) -> QuestionAnalysis:
    """Read ``question`` once. ``means_notice`` says, from the question's embedding, whether it asks
    for the last paid day in other words; it is consulted only when the question carries a date."""
    query = expander.expand(question)
    query.shape  # noqa: B018 - read now, with the rest, and kept on the query
    return QuestionAnalysis(
        question,
        PeriodMentions.of(question, calendar),
        read_calculation(question, means_notice),
        query,
        asks_office_holder(question),
    )
