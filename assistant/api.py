"""The assistant's public API. The Streamlit app, the CLI and the eval runner all go through
:class:`Assistant`, so what the evals measure is what users get. It is the question service;
``Assistant.documents`` (assistant/documents.py) is the document service beside it: the index,
uploads, periods and rules."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from assistant.answering.extractive import (
    abstain,
    compose_comparison,
    is_supported,
    quote_answer,
    score_candidates,
)
from assistant.answering.llm.followup import rewrite_followup
from assistant.answering.period_currency import Currency, currency_of
from assistant.answering.picking import (
    AnswerPicker,
    Pick,
    PickInput,
    candidate_features,
    candidate_vectors,
    make_picker,
    missing_demand,
)
from assistant.answering.stream import AnswerStream
from assistant.calculators.registry import answer_calculation
from assistant.calculators.rules import citations_for
from assistant.documents import (
    DocumentService,
    IngestReport,
    ParameterStatus,
    RuleProposal,
    RuleRecordingError,
    UploadMeta,
    document_titles,
)
from assistant.retrieval.retriever import Retriever
from assistant.understanding.answer_types import ruling
from assistant.understanding.intent import CalculatorIntent
from assistant.understanding.query import ExpandedQuery
from assistant.understanding.question import QuestionAnalysis, analyze
from core.dates import current_period
from core.embeddings import resolve_model
from core.periods import UnknownPeriodError
from core.privacy import QuestionLogEntry, log_question, mask_personal_data
from core.records import DAEKKER_IKKE, SIKKER, USIKKER, Answer, Hit
from core.settings import EvidencePolicy, Settings, load_settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.answering.llm.mode import ChatMode

log = logging.getLogger(__name__)

EMPTY_QUESTION = "Skriv et spørgsmål om rammeaftalerne, fx »Hvad er opsigelsesvarslet?«"
MAX_QUESTION_CHARS = 2000
HEDGE = "Jeg er ikke sikker, men den nærmeste passage er:"
COMPARED_QUOTES = 2  # per period, when periods are shown side by side
MAX_TITLE_CHARS = 200
MAX_DOC_TYPE_CHARS = 60


class Assistant:
    """Answers questions about the Rammeaftaler with citations, over one Chroma index."""

    def __init__(
        self,
        settings: Settings,
        retriever: Retriever,
        picker: AnswerPicker | None = None,
    ):
        self.settings = settings
        self.retriever = retriever
        self.policy = settings.answering.evidence
        self.picker = picker or make_picker(
            settings.answering.picker, resolve_model(settings), settings.answering.picker_model
        )
        self.intent = CalculatorIntent(retriever.embeddings)
        self.documents = DocumentService(settings, retriever)

    @classmethod
    def open(cls, settings: Settings | None = None, client=None) -> Assistant:
        """Load the embedding model and the picker; Chroma is opened when first needed (a cold
        ask on an unchanged index may never need it, see core/index_receipt.py)."""
        settings = settings or load_settings()
        return cls(settings, Retriever(settings, client=client))

    def _checked_period(self, period: str | None) -> str | None:
        """Accept '2023-2024', '2024' etc. for a known period; raise UnknownPeriodError otherwise."""
        if period in (None, "", "alle"):
            return None
        return self.documents.periods().normalize(period)

    # -- questions -------------------------------------------------------------------------------

    def search(self, question: str, period: str | None = None, k: int | None = None) -> list[Hit]:
        return self.retriever.search(question, self._checked_period(period), k)

    def ask(self, question: str, period: str | None = None, history: Sequence[str] | None = None) -> Answer:
        """Answer one question. ``period`` filters by agreement period; without it, a period
        named in the question ("i 2024") is used, falling back to all periods when that
        period's documents do not cover the question. ``history`` = the chat's earlier
        questions, used to read a follow-up ("og hvad hvis borgeren dør?") as a standalone one."""
        return self.stream(question, period, history).answer

    def stream(
        self, question: str, period: str | None = None, history: Sequence[str] | None = None
    ) -> AnswerStream:
        """Like :meth:`ask`, as text chunks for ``st.write_stream``; ``.answer`` afterwards holds
        the final validated Answer (whose text replaces the streamed one after a fallback)."""
        started = time.perf_counter()
        question = " ".join((question or "").split())[:MAX_QUESTION_CHARS]
        if not question:
            return AnswerStream.completed(Answer(question, EMPTY_QUESTION, True, None))
        period = self._checked_period(period)
        record = functools.partial(self._record, question, period, started)
        return self._reply(question, period, history).on_answer(record)

    def _record(self, question: str, period: str | None, started: float, answer: Answer) -> None:
        """Log how a question went; the opt-in question log keeps it with personal data masked."""
        latency_ms = round(1000 * (time.perf_counter() - started))
        # Never the question itself here: it may hold a CPR number (see core/privacy.py).
        log.info("answered in %d ms (abstained=%s)", latency_ms, answer.abstained)
        if self.settings.question_log:
            entry = QuestionLogEntry(question, period, answer.abstained, answer.tool, latency_ms)
            log_question(self.settings.question_log_path, entry)

    @functools.cached_property
    def chat_mode(self) -> ChatMode | None:
        """The generative mode, built once on first use; None without ``RAMME_LLM__MODEL``."""
        if not self.settings.llm.model.strip():
            return None  # extractive mode: the chat-model framework is never imported
        return self._build_chat_mode(None)

    def use_chat_model(self, model: BaseChatModel) -> None:
        """Answer through ``model`` from now on, under the same guardrails and fallback as a
        configured one (a site's own client, or a scripted model in tests)."""
        self.chat_mode = self._build_chat_mode(model)

    def _build_chat_mode(self, model: BaseChatModel | None) -> ChatMode | None:
        from assistant.answering.llm.mode import ChatMode

        return ChatMode.build(self.settings, self.search, self.documents.rules, self._answer_text, model)

    def _reply(self, question: str, period: str | None, history: Sequence[str] | None) -> AnswerStream:
        """Rewrite a follow-up, then the calculator, the chat model or the extractive answer.

        With a chat model configured, CPR numbers and e-mail addresses are masked first: the
        question leaves the process, and none of the answers needs them."""
        mode = self.chat_mode
        if mode is not None:
            question, history = mask_personal_data(question), [mask_personal_data(h) for h in history or ()]
        rewrite = rewrite_followup(
            question, history or (), mode.model if mode else None, self.settings.llm.timeout_s
        )
        note = rewrite.note()  # None unless the follow-up was rewritten
        notes = (note,) if note else ()
        understood = self.understand(rewrite.question)
        if understood.calculation is not None:
            calculated = answer_calculation(
                understood.text,
                understood.calculation,
                self.documents.rules,
                period,
                understood.periods.named,
            )
            return AnswerStream.completed(calculated).with_notes(notes)
        if mode is not None:
            context = (question, *(history or ()))
            return mode.answerer.stream(rewrite.question, period, context).with_notes(notes)
        return AnswerStream.completed(self._answer(understood, period)).with_notes(notes)

    def understand(self, question: str) -> QuestionAnalysis:
        """The question read once: the periods it names, the calculation it asks for, what it asks
        in the agreements' words (assistant/understanding/)."""
        means_notice = functools.partial(self._means_notice, question)
        return analyze(question, self.documents.periods(), self.retriever.snapshot().expander, means_notice)

    def _means_notice(self, question: str) -> bool:
        """Whether the question asks for the notice calculator by meaning (assistant/understanding/intent.py)."""
        return self.intent.means_notice(self.retriever.question_vector(question))

    def _answer_text(self, question: str, period: str | None) -> Answer:
        """The extractive answer to a question given as text (the chat model's fallback)."""
        return self._answer(self.understand(question), period)

    def _answer(self, understood: QuestionAnalysis, period: str | None) -> Answer:
        query, question, mentions = understood.query, understood.text, understood.periods
        calendar = self.documents.periods()
        if period is None and mentions.later:
            note = (
                f"Dokumenterne dækker aftaleperioderne {calendar.names[0]} til {calendar.latest}, ikke "
                f"{', '.join(mentions.later)}."
            )
            return abstain(question, self.retriever.search(query, None), None, (note,))
        if query.unknown_acronyms:
            named = ", ".join(f"»{a}«" for a in query.unknown_acronyms)
            note = f"Dokumenterne nævner ikke {named}."
            return abstain(question, self.retriever.search(query, period), period, (note,))
        compared = [] if period else list(mentions.spanned)
        if len(compared) >= 2 and (side_by_side := self._compare(query, compared)) is not None:
            return side_by_side
        detected = period is None and mentions.named
        period = period or detected or None
        given, pick = self._best_pick(query, period)
        hits = given.candidates.hits
        chosen_periods = {hits[s.hit_rank].chunk.period for s in pick.chosen}
        elsewhere = bool(period) and period not in chosen_periods
        if detected and elsewhere and understood.asks_office_holder:
            note = (
                f"Dokumenterne for {period} nævner ikke, hvem der havde posten; hvem der havde den i "
                f"en anden periode, siger intet om {period}."
            )
            return abstain(question, hits, period, (note,))
        if pick.confidence == DAEKKER_IKKE or not pick.chosen:
            return abstain(question, hits, period, _demand_note(given, pick))
        notes = _demand_note(given, pick)
        origin = hits[pick.chosen[0].hit_rank].chunk.period
        currency = currency_of(self.documents.rules, origin, period or current_period(date.today(), calendar))
        if elsewhere and currency is None:
            found = ", ".join(sorted(p for p in chosen_periods if p)) or "en anden aftaleperiode"
            notes += (f"Dokumenterne for {period} siger det ikke direkte; svaret bygger på {found}.",)
        preface = HEDGE if pick.confidence == USIKKER else _yes_or_no(given, pick)
        answer = quote_answer(query, hits, pick.chosen, period, notes, preface, pick.confidence)
        return _with_currency(answer, currency) if currency else answer

    def pick_inputs(self, question: str, period: str | None = None) -> list[PickInput]:
        """What the answer picker may see for a question: its candidate quotes and their features,
        per scope ``ask`` may search (the period named, then all periods). Public so the picker's
        training (evals/picker_training.py) learns on exactly what ``ask`` sees. A question the
        calculators answer never reaches the picker, so it has none."""
        understood = self.understand(question)
        if understood.calculation is not None:
            return []
        period = self._checked_period(period) or understood.periods.named
        return [self._pick_input(understood.query, scope, period) for scope in _scopes(period)]

    def stored_sentence_vectors(self) -> np.ndarray:
        """Every sentence vector the index stores, one a row, in chunk-id order (empty when it has
        none): the picker's training finds in them the directions its learned metric's cross
        terms pair along."""
        by_chunk = self.retriever.snapshot().sentences.by_chunk
        rows = [by_chunk[chunk][0] for chunk in sorted(by_chunk) if len(by_chunk[chunk][0])]
        return np.vstack(rows) if rows else np.zeros((0, 0), dtype=np.float32)

    def _best_pick(self, query: ExpandedQuery, period: str | None) -> tuple[PickInput, Pick]:
        """The pick among the period's passages; when it is not sure, also among all periods' (a
        rule stated in an earlier period's document often still holds), keeping the surer one."""
        tried = []
        for scope in _scopes(period):
            given = self._pick_input(query, scope, period)
            tried.append((given, self.picker.pick(given)))
            if tried[-1][1].confidence == SIKKER:
                break
        return max(tried, key=lambda attempt: _sureness(attempt[1]))  # ties keep the period's

    def _pick_input(self, query: ExpandedQuery, scope: str | None, period: str | None) -> PickInput:
        """Candidates from the passages of ``scope`` (a period, or None for all), with features
        that say whether each comes from the ``period`` the question asks about."""
        hits = self._candidates(query, scope)
        snap = self.retriever.snapshot()
        candidates = score_candidates(query, hits, snap.lexical, self.policy)
        vector = np.asarray(self.retriever.question_vector(query.question), dtype=np.float32)
        features = candidate_features(
            candidates, vector, snap.sentences, period, snap.lexical.known_share(query.question)
        )
        return PickInput(
            candidates,
            features,
            self._supported(query, hits),
            snap.lexical,
            self.policy,
            candidate_vectors(candidates, vector, snap.sentences),
        )

    def _compare(self, query: ExpandedQuery, periods: list[str]) -> Answer | None:
        """A question spanning periods, answered period by period side by side by the answer
        picker, and only as sure as its least sure period. None when fewer than two periods have an
        answer: then the question is about one of them ("takstreduktionen 2019-2022") and gets the
        ordinary answer; shown as a comparison it had passed for "sikker" without the picker."""
        picked = []
        for p in periods:
            given = self._pick_input(query, p, p)
            pick = self.picker.pick(given)
            if pick.chosen and pick.confidence != DAEKKER_IKKE:
                picked.append((p, given.candidates.hits, pick))
        if len(picked) < 2:
            return None
        confidence = min((pick.confidence for _, _, pick in picked), key=_CONFIDENCE_ORDER.__getitem__)
        answer = compose_comparison(
            query,
            [(p, hits, pick.chosen[:COMPARED_QUOTES]) for p, hits, pick in picked],
            HEDGE if confidence == USIKKER else "",
            confidence,
        )
        answered = {p for p, _, _ in picked}
        missing = [p for p in periods if p not in answered]
        if missing:
            note = f"Dokumenterne for {', '.join(missing)} dækker ikke spørgsmålet."
            answer = replace(answer, notes=(*answer.notes, note))
        return answer

    def _candidates(self, query: ExpandedQuery, period: str | None) -> list[Hit]:
        """The passages an answer may quote from: wider than the top_k shown, because the sentence
        that states the fact is sometimes in a passage ranked just below them."""
        return self.retriever.search(
            query, period, max(self.settings.retrieval.top_k, self.policy.passages_quoted)
        )

    def _supported(self, query: ExpandedQuery, hits: list[Hit], policy: EvidencePolicy | None = None) -> bool:
        """Enough evidence to answer: the passages carry the question's words."""
        policy = policy or self.policy
        dense_best = max((hit.dense_score or 0.0 for hit in hits[:3]), default=0.0)
        return is_supported(query, hits, self._index(), dense_best, policy)

    def _index(self):
        return self.retriever.snapshot().lexical


def _with_currency(answer: Answer, currency: Currency) -> Answer:
    """The answer with a note saying its quote is from an earlier period and how the rules reached
    the period asked about, citing the clauses that carry them forward after the quotes."""
    quoted = {(c.document, c.quote) for c in answer.citations}
    clauses = [c for c in currency.clauses if (c.document, c.quote) not in quoted]
    extra = citations_for(clauses, start=len(answer.citations) + 1)
    note = currency.note
    if extra:
        note += " " + ", ".join(f"[{c.n}]" for c in extra) + "."
    return replace(answer, notes=(*answer.notes, note), citations=(*answer.citations, *extra))


def _yes_or_no(given: PickInput, pick: Pick) -> str:
    """ "Ja." or "Nej." first when a sure quote rules on a yes/no question; empty otherwise."""
    verdict = ruling(given.candidates.asked.shape, pick.chosen[0].text) if pick.chosen else None
    return f"{verdict}." if verdict else ""


def _scopes(period: str | None) -> list[str | None]:
    """Where to look for an answer, in order: the period named, then all periods."""
    return [period, None] if period else [None]


_CONFIDENCE_ORDER = {DAEKKER_IKKE: 0, USIKKER: 1, SIKKER: 2}


def _sureness(pick: Pick) -> tuple[int, float]:
    return _CONFIDENCE_ORDER[pick.confidence], pick.probability or 0.0


def _demand_note(given: PickInput, pick: Pick) -> tuple[str, ...]:
    """A note when the quotes lack the number, price or date the question asks for (why the
    answer is "dækker ikke", or hedged); nothing otherwise."""
    missing = missing_demand(given, pick.chosen or given.candidates.singles[:3])
    return (f"De nærmeste passager angiver ikke {missing}, som spørgsmålet beder om.",) if missing else ()


__all__ = [
    "Assistant",
    "DocumentService",
    "IngestReport",
    "ParameterStatus",
    "RuleProposal",
    "RuleRecordingError",
    "UnknownPeriodError",
    "UploadMeta",
    "document_titles",
]
