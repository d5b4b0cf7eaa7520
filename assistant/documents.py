"""The document service: what the assistant knows from — the index and its documents, the uploads,
the agreement periods they make known, and the calculators' rules (bundled and recorded). Pages and
the CLI manage documents and rules through it; the question service (api.py) reads periods and
rules from it."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from pathlib import Path

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
from assistant.calculators.rules import Clause, RuleBook
from assistant.periods import load_calendar, load_rulebook
from assistant.retrieval.retriever import Retriever
from core import index_receipt
from core.periods import PeriodCalendar, UnknownPeriodError, parse_period
from core.registry import DocumentRecord, read_registry, records_of, registry_fingerprint
from core.settings import Settings
from ingest.cleaning import normalize_for_match
from ingest.errors import IngestError
from ingest.indexing import Indexer, IngestReport, Progress
from ingest.loaders import check_file_name, load_bytes
from ingest.prepare import CHUNKING_VERSION, UploadMeta
from ingest.uploads import forget_upload, read_upload_meta, save_upload, uploads_dir

log = logging.getLogger(__name__)

MAX_TITLE_CHARS = 200
MAX_DOC_TYPE_CHARS = 60


class DocumentService:
    """The index's documents and the rules, over the same Chroma client as the retriever."""

    def __init__(self, settings: Settings, retriever: Retriever):
        self.settings = settings
        self.retriever = retriever
        self._periods: tuple[tuple, PeriodCalendar, RuleBook] | None = None
        # One writer at a time: Streamlit sessions share this object, and two uploads racing
        # through the registry could both pass the duplicate check.
        self._write_lock = threading.Lock()

    # -- index ---------------------------------------------------------------------------------

    def indexer(self) -> Indexer:
        return Indexer(self.settings, client=self.retriever.client)

    def ensure_index(self, progress: Progress | None = None) -> IngestReport | None:
        """Bring the index up to date with the corpus folder: build it on first start and
        re-chunk a document whose file (or the index format) changed, so an upgraded install
        never answers from a stale index. Unchanged documents cost one registry lookup each.
        Returns the report when anything was written or failed, else None."""
        corpus = index_receipt.corpus_state(self.settings.corpus_dir)
        if index_receipt.corpus_in_sync(self.settings, corpus, CHUNKING_VERSION):
            return None  # nothing changed since a process last did this (no Chroma opened)
        report = self.ingest([self.settings.corpus_dir], progress)
        if report.ok:
            index_receipt.record(
                self.settings,
                corpus,
                CHUNKING_VERSION,
                lambda: registry_fingerprint(read_registry(self.retriever.registry)),
            )
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

    def indexed(self) -> list[DocumentRecord]:
        """The documents in the index, by file name."""
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
            calendar = load_calendar(self.settings, records_of(key[0]))
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
        record = next((r for r in self.indexed() if r.document == document), None)
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
    "DocumentService",
    "IngestReport",
    "ParameterStatus",
    "RuleProposal",
    "RuleRecordingError",
    "UploadMeta",
    "document_titles",
    "validated_meta",
]
