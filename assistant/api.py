"""The assistant's public API. The Streamlit app, the CLI and the eval runner all go through
:class:`Assistant`, so what the evals measure is what users get."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
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
    make_picker,
    missing_demand,
)
from assistant.answering.stream import AnswerStream
from assistant.calculators.recording import (
    ParameterStatus,
    RuleProposal,
    RuleRecordingError,
    build_proposal,
    locate_quote,
    status_of,
    write_proposal,
)
from assistant.calculators.recording import parameter as recording_parameter
from assistant.calculators.registry import answer_calculation
from assistant.calculators.rules import Clause, RuleBook, citations_for
from assistant.periods import load_calendar, load_rulebook
from assistant.retrieval.retriever import Retriever
from assistant.understanding.answer_types import ruling
from assistant.understanding.intent import CalculatorIntent
from assistant.understanding.query import ExpandedQuery
from assistant.understanding.question import QuestionAnalysis, analyze
from core.dates import current_period
from core.periods import PeriodCalendar, UnknownPeriodError, parse_period
from core.privacy import QuestionLogEntry, log_question, mask_personal_data
from core.records import DAEKKER_IKKE, SIKKER, USIKKER, Answer, Hit
from core.registry import DocumentRecord
from core.settings import EvidencePolicy, Settings, load_settings
from core.vectorstore import open_client
from ingest.cleaning import normalize_for_match
from ingest.errors import IngestError
from ingest.indexing import Indexer, IngestReport, Progress
from ingest.loaders import check_file_name, load_bytes
from ingest.prepare import UploadMeta
from ingest.uploads import forget_upload, read_upload_meta, save_upload, uploads_dir

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.answering.llm.mode import ChatMode

log = logging.getLogger(__name__)

EMPTY_QUESTION = "Skriv et spørgsmål om rammeaftalerne, fx »Hvad er opsigelsesvarslet?«"
MAX_QUESTION_CHARS = 2000
HEDGE = "Jeg er ikke sikker, men den nærmeste passage er:"
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
        self.picker = picker or make_picker(settings.answering.picker, settings.answering.picker_model)
        self.intent = CalculatorIntent(retriever.embeddings)
        self._periods: tuple[tuple, PeriodCalendar, RuleBook] | None = None
        # One writer at a time: Streamlit sessions share this object, and two uploads racing
        # through the registry could both pass the duplicate check.
        self._write_lock = threading.Lock()

    @classmethod
    def open(cls, settings: Settings | None = None, client=None) -> Assistant:
        """Connect to the configured index and load the embedding model (the slow part)."""
        settings = settings or load_settings()
        client = client or open_client(settings)
        return cls(settings, Retriever(settings, client=client))

    # -- index ---------------------------------------------------------------------------------

    def indexer(self) -> Indexer:
        return Indexer(self.settings, client=self.retriever.client)

    def ensure_index(self, progress: Progress | None = None) -> IngestReport | None:
        """Bring the index up to date with the corpus folder: build it on first start and
        re-chunk a document whose file (or the index format) changed, so an upgraded install
        never answers from a stale index. Unchanged documents cost one registry lookup each.
        Returns the report when anything was written or failed, else None."""
        report = self.ingest([self.settings.corpus_dir], progress)
        if report.added or report.replaced or report.failed:
            log.info("index synced with %s", self.settings.corpus_dir)
            return report
        return None

    def ingest(self, paths: list[Path], progress: Progress | None = None) -> IngestReport:
        with self._write_lock:
            return self.indexer().ingest_paths(paths, progress)

    def ingest_upload(
        self, file_name: str, data: bytes, meta: UploadMeta | None = None, progress: Progress | None = None
    ) -> IngestReport:
        """Add one uploaded document with the uploader's metadata. Bad input is reported in
        ``report.failed`` (a Danish message) and leaves the index and the upload store as they
        were; an accepted file is stored under data_dir/uploads so :meth:`reindex` can rebuild it."""
        try:
            name = check_file_name(file_name)
            meta = validated_meta(meta)
            self._refuse_corpus_name(name)
        except IngestError as exc:
            return IngestReport(failed={file_name: str(exc)})
        with self._write_lock:
            report = self.indexer().ingest_bytes(name, data, meta, progress)
            if report.ok:
                save_upload(self.settings, name, data, meta)
        return report

    def reindex(self, progress: Progress | None = None) -> IngestReport:
        """Re-ingest the corpus folder and the stored uploads; unchanged documents are skipped."""
        folders = [self.settings.corpus_dir]
        if uploads_dir(self.settings).is_dir():
            folders.append(uploads_dir(self.settings))
        with self._write_lock:
            return self.indexer().ingest_paths(folders, progress, read_upload_meta(self.settings))

    def remove(self, document: str) -> bool:
        """Take a document out of the index and the upload store; False when it was in neither.
        A corpus document comes back on the next re-index (the corpus folder is the source)."""
        with self._write_lock:
            removed = self.indexer().remove(document)
            return forget_upload(self.settings, document) or removed

    def documents(self) -> list[DocumentRecord]:
        return self.indexer().documents()

    def _refuse_corpus_name(self, name: str) -> None:
        if (self.settings.corpus_dir / name).exists():
            raise IngestError(
                f"{name}: et dokument med samme navn findes allerede i corpus-mappen. Omdøb filen og prøv igen."
            )

    # -- periods and rules -----------------------------------------------------------------------

    def periods(self) -> PeriodCalendar:
        """The agreement periods the product knows: the manifest's, the rules' and those of the
        documents in the index, so an uploaded new agreement adds its period everywhere."""
        return self._period_state()[1]

    @property
    def rules(self) -> RuleBook:
        """The calculators' rules for every known period (recorded ones laid over the bundled)."""
        return self._period_state()[2]

    def _period_state(self) -> tuple[tuple, PeriodCalendar, RuleBook]:
        """Calendar and rules, rebuilt only when the index's documents or the recorded rules change."""
        recorded = self.settings.recorded_rules_path
        key = (
            self.retriever.snapshot().fingerprint,
            recorded.stat().st_mtime_ns if recorded.exists() else None,
        )
        state = self._periods
        if state is None or state[0] != key:
            calendar = load_calendar(self.settings, self.documents())
            state = self._periods = (key, calendar, load_rulebook(self.settings, calendar))
        return state

    def rule_status(self, period: str) -> list[ParameterStatus]:
        """Every calculator parameter of a period: value, basis ('videreført, ubekræftet' for
        what the period's documents have not been shown to state) and clauses."""
        return status_of(self.rules, self.periods().normalize(period))

    def propose_rule(
        self, period: str, parameter_key: str, document: str, quote: str, confirms: bool = False
    ) -> RuleProposal:
        """Verify that ``quote`` is verbatim in ``document`` and read the parameter's value from
        it, without writing anything: what the secretariat sees before recording. ``confirms``:
        the clause says the earlier period's value continues. Danish RuleRecordingError on bad input."""
        param = recording_parameter(parameter_key)
        try:
            name = self.periods().normalize(period)
        except UnknownPeriodError as exc:
            raise RuleRecordingError(str(exc)) from None
        record = next((r for r in self.documents() if r.document == document), None)
        if record is None:
            raise RuleRecordingError(f"Dokumentet {document!r} findes ikke i indekset. Upload det først.")
        if name not in [p.strip() for p in record.period.split(",")]:
            shown = record.period or "ingen periode"
            raise RuleRecordingError(
                f"{record.title} hører til {shown}, ikke aftaleperiode {name}. Citér periodens eget dokument."
            )
        page = locate_quote(quote, self._document_pages(document))
        clause = Clause(
            document,
            record.title,
            name,
            self._section_of(document, quote, page),
            page,
            " ".join(quote.split()),
        )
        return build_proposal(self.rules, name, param, clause, confirms)

    def record_rule(
        self, period: str, parameter_key: str, document: str, quote: str, confirms: bool = False
    ) -> RuleProposal:
        """:meth:`propose_rule`, then write the entry to the recorded rules file (data folder):
        every calculation for the period uses it from now on and cites the clause."""
        proposal = self.propose_rule(period, parameter_key, document, quote, confirms)
        with self._write_lock:
            write_proposal(self.settings.rules_path, self.settings.recorded_rules_path, self.rules, proposal)
        return proposal

    def _document_pages(self, document: str) -> list[tuple[int | None, str]]:
        """The document's text per page, read from its file as ingest reads it."""
        for folder in (self.settings.corpus_dir, uploads_dir(self.settings)):
            path = folder / document
            if path.is_file():
                return [(page.number, page.text) for page in load_bytes(document, path.read_bytes()).pages]
        raise RuleRecordingError(f"Filen til {document} findes ikke længere; upload dokumentet igen.")

    def _section_of(self, document: str, quote: str, page: int | None) -> str:
        """The section heading of the passage holding the quote (or of its page's first passage)."""
        chunks = [c for c in self.retriever.snapshot().lexical.chunks if c.document == document]
        wanted = normalize_for_match(quote)
        holder = next((c for c in chunks if wanted in normalize_for_match(c.text)), None)
        holder = holder or next((c for c in chunks if c.page == page), None)
        return holder.section if holder is not None else ""

    def _checked_period(self, period: str | None) -> str | None:
        """Accept '2023-2024', '2024' etc. for a known period; raise UnknownPeriodError otherwise."""
        if period in (None, "", "alle"):
            return None
        return self.periods().normalize(period)

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

        return ChatMode.build(self.settings, self.search, self.rules, self._answer_text, model)

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
                understood.text, understood.calculation, self.rules, period, understood.periods.named
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
        return analyze(question, self.periods(), self.retriever.snapshot().expander, means_notice)

    def _means_notice(self, question: str) -> bool:
        """Whether the question asks for the notice calculator by meaning (assistant/understanding/intent.py)."""
        return self.intent.means_notice(self.retriever.question_vector(question))

    def _answer_text(self, question: str, period: str | None) -> Answer:
        """The extractive answer to a question given as text (the chat model's fallback)."""
        return self._answer(self.understand(question), period)

    def _answer(self, understood: QuestionAnalysis, period: str | None) -> Answer:
        query, question, mentions = understood.query, understood.text, understood.periods
        calendar = self.periods()
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
        if len(compared) >= 2:
            return self._compare(query, compared)
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
        currency = currency_of(self.rules, origin, period or current_period(date.today(), calendar))
        if elsewhere and currency is None:
            found = ", ".join(sorted(p for p in chosen_periods if p)) or "en anden aftaleperiode"
            notes += (f"Dokumenterne for {period} siger det ikke direkte; svaret bygger på {found}.",)
        preface = HEDGE if pick.confidence == USIKKER else _yes_or_no(given, pick)
        answer = quote_answer(query, hits, pick.chosen, period, notes, preface, pick.confidence)
        return _with_currency(answer, currency) if currency else answer

    def pick_inputs(self, question: str, period: str | None = None) -> list[PickInput]:
        """What the answer picker may see for a question: its candidate quotes and their features,
        per scope ``ask`` may search (the period named, then all periods). Public so the picker's
        training (evals/picker_training.py) learns on exactly what ``ask`` sees."""
        understood = self.understand(question)
        period = self._checked_period(period) or understood.periods.named
        return [self._pick_input(understood.query, scope, period) for scope in _scopes(period)]

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
        return PickInput(candidates, features, self._supported(query, hits), snap.lexical, self.policy)

    def _compare(self, query: ExpandedQuery, periods: list[str]) -> Answer:
        """A cross-period question: retrieve per period, present the periods side by side."""
        # Words of comparison ("ændrede", "forskel") are not in any one period's text.
        lenient = self.policy.min_coverage * self.policy.comparison_leniency
        relaxed = self.policy.model_copy(update={"min_coverage": lenient})
        per_period = [
            (p, hits)
            for p in periods
            if self._supported(query, hits := self.retriever.search(query, p), relaxed)
        ]
        if not per_period:
            return abstain(query.question, self.retriever.search(query, None), None)
        answer = compose_comparison(query, per_period, self._index(), self.policy)
        missing = [p for p in periods if p not in dict(per_period)]
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
    missing = missing_demand(given, pick.chosen or given.candidates.sentences[:3])
    return (f"De nærmeste passager angiver ikke {missing}, som spørgsmålet beder om.",) if missing else ()


def document_titles(settings: Settings) -> dict[str, str]:
    """File name -> title of the bundled documents (corpus/manifest.yaml), without opening the
    index or the model: for sources that carry only a file name (the glossary, the timeline)."""
    from ingest.manifest import load_manifest

    return {entry.file: entry.title for entry in load_manifest(settings.corpus_dir).documents}


def validated_meta(meta: UploadMeta | None) -> UploadMeta | None:
    """Trimmed metadata with a canonical period name; a Danish IngestError for anything else. The
    period need not be known yet: uploading the first document of a new agreement adds it."""
    if meta is None:
        return None
    title, doc_type = " ".join(meta.title.split()), " ".join(meta.doc_type.split())
    if len(title) > MAX_TITLE_CHARS or len(doc_type) > MAX_DOC_TYPE_CHARS:
        raise IngestError(
            f"Titlen må højst have {MAX_TITLE_CHARS} tegn og dokumenttypen {MAX_DOC_TYPE_CHARS}."
        )
    period = None
    if (meta.period or "").strip() not in ("", "alle"):
        period = parse_period(meta.period or "")
        if period is None:
            raise IngestError(
                f"Ukendt aftaleperiode: {meta.period!r}. Skriv perioden som fx 2027-28 (to år fra 2019) eller 2017."
            )
    return replace(meta, title=title, doc_type=doc_type, period=period)


__all__ = [
    "Assistant",
    "IngestReport",
    "ParameterStatus",
    "RuleProposal",
    "RuleRecordingError",
    "UnknownPeriodError",
    "UploadMeta",
    "document_titles",
]
