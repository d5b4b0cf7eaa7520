"""The assistant's public API. The Streamlit app, the CLI and the eval runner all go through
:class:`Assistant`, so what the evals measure is what users get."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from assistant.answering import EvidencePolicy, abstain, compose_answer, is_supported
from assistant.calculator_routing import answer_with_calculator
from assistant.calculators.rules import RuleBook, load_rules
from assistant.retrieval import Retriever
from core.periods import PERIODS, detect_period, normalize_period
from core.records import Answer, Hit
from core.registry import DocumentRecord
from core.settings import Settings, load_settings
from core.vectorstore import open_client
from ingest.indexing import Indexer, IngestReport, Progress

log = logging.getLogger(__name__)

EMPTY_QUESTION = "Skriv et spørgsmål om rammeaftalerne, fx »Hvad er opsigelsesvarslet?«"
MAX_QUESTION_CHARS = 2000


class Assistant:
    """Answers questions about the Rammeaftaler with citations, over one Chroma index."""

    def __init__(self, settings: Settings, retriever: Retriever, policy: EvidencePolicy | None = None):
        self.settings = settings
        self.retriever = retriever
        self.policy = policy or EvidencePolicy()
        self.rules: RuleBook = load_rules(settings.corpus_dir / "rules.yaml")

    @classmethod
    def open(cls, settings: Settings | None = None, client=None) -> "Assistant":
        """Connect to the configured index and load the embedding model (the slow part)."""
        settings = settings or load_settings()
        client = client or open_client(settings)
        return cls(settings, Retriever(settings, client=client))

    # -- index ---------------------------------------------------------------------------------

    def indexer(self) -> Indexer:
        return Indexer(self.settings, client=self.retriever.client)

    def ensure_index(self, progress: Progress | None = None) -> IngestReport | None:
        """Build the index from the corpus folder when it is empty; a no-op otherwise."""
        if not self.retriever.is_empty():
            return None
        log.info("index is empty: ingesting %s", self.settings.corpus_dir)
        return self.ingest([self.settings.corpus_dir], progress)

    def ingest(self, paths: list[Path], progress: Progress | None = None) -> IngestReport:
        return self.indexer().ingest_paths(paths, progress)

    def documents(self) -> list[DocumentRecord]:
        return self.indexer().documents()

    # -- questions -------------------------------------------------------------------------------

    def search(self, question: str, period: str | None = None, k: int | None = None) -> list[Hit]:
        return self.retriever.search(question, _checked_period(period), k)

    def ask(self, question: str, period: str | None = None) -> Answer:
        """Answer one question. ``period`` filters by agreement period; without it, a period
        named in the question ("i 2024") is used, falling back to all periods when that
        period's documents do not cover the question."""
        started = time.perf_counter()
        question = " ".join((question or "").split())[:MAX_QUESTION_CHARS]
        if not question:
            return Answer(question, EMPTY_QUESTION, True, None)
        period = _checked_period(period)
        answer = answer_with_calculator(question, period, self.rules) or self._answer(question, period)
        log.info("answered in %.0f ms (abstained=%s)", 1000 * (time.perf_counter() - started), answer.abstained)
        return answer

    def _answer(self, question: str, period: str | None) -> Answer:
        detected = period is None and detect_period(question)
        period = period or detected or None
        hits = self.retriever.search(question, period)
        if self._supported(question, hits):
            return compose_answer(question, hits, self._index(), period, self.policy)
        if detected:
            wider = self.retriever.search(question, None)
            if self._supported(question, wider):
                note = (
                    f"Dokumenterne for {period} dækker ikke spørgsmålet direkte; "
                    "svaret bygger på passager fra en anden aftaleperiode."
                )
                return compose_answer(question, wider, self._index(), None, self.policy, (note,))
        return abstain(question, hits, period)

    def _supported(self, question: str, hits: list[Hit]) -> bool:
        dense_best = max((hit.dense_score or 0.0 for hit in hits[:3]), default=0.0)
        return is_supported(question, hits, self._index(), dense_best, self.policy)

    def _index(self):
        return self.retriever.snapshot().lexical


def _checked_period(period: str | None) -> str | None:
    """Accept '2023-2024', '2024' etc. for a period; raise UnknownPeriodError otherwise."""
    if period in (None, "", "alle"):
        return None
    return normalize_period(period)


__all__ = ["Assistant", "PERIODS"]
