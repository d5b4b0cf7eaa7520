"""The period registry: which agreement periods the product knows, gathered from the data.

A period is known when the manifest, the rules (bundled or recorded by the secretariat) or a
document in the index names it, so an uploaded "Rammeaftale 2027-28" adds 2027-28 to the filter,
to question parsing and to the calculators without a code change. The grammar of period names is
``core.periods``; this module only reads the sources.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from assistant.calculators.rules import RuleBook, load_rules, merge_rules, read_rules_yaml
from core.index_receipt import trusted_fingerprint
from core.periods import PeriodCalendar
from core.registry import DocumentRecord, read_registry, records_of
from core.settings import Settings
from ingest.manifest import load_manifest


def load_calendar(settings: Settings, documents: Iterable[DocumentRecord] | None = None) -> PeriodCalendar:
    """The known periods: manifest, rules and the documents in the index (read from the index's
    registry when ``documents`` is not given; no model is loaded for that)."""
    records = index_documents(settings) if documents is None else documents
    return PeriodCalendar.of(
        [*manifest_periods(settings.corpus_dir), *rules_periods(settings), *document_periods(records)]
    )


def load_rulebook(settings: Settings, calendar: PeriodCalendar | None = None) -> RuleBook:
    """The calculators' rules: bundled, the secretariat's recorded ones over them, and an assumed
    carried-forward entry for every known period without rules of its own."""
    calendar = calendar if calendar is not None else load_calendar(settings)
    return load_rules(settings.rules_path, settings.recorded_rules_path, calendar)


def manifest_periods(corpus_dir: Path) -> list[str]:
    names: list[str] = []
    for entry in load_manifest(corpus_dir).documents:
        names += entry.periods + [part.period for part in entry.parts if part.period]
    return names


def rules_periods(settings: Settings) -> list[str]:
    """Periods the rules files list, and those their takstaftaler govern."""
    raw = read_rules_yaml(settings.rules_path)
    if settings.recorded_rules_path.exists():
        raw = merge_rules(raw, read_rules_yaml(settings.recorded_rules_path))
    agreements = [p for a in raw.get("tariff_agreements") or [] for p in a.get("periods") or []]
    return [*(raw.get("periods") or {}), *agreements]


def document_periods(records: Iterable[DocumentRecord]) -> list[str]:
    """Periods of indexed documents (a record joins several parts' periods with ', ')."""
    return [name.strip() for record in records for name in record.period.split(",") if name.strip()]


def index_documents(settings: Settings) -> list[DocumentRecord]:
    """The index's live documents, or none when there is no index yet (never creates one)."""
    if settings.chroma_mode == "embedded" and not settings.chroma_path.exists():
        return []
    if (fingerprint := trusted_fingerprint(settings)) is not None:
        return records_of(fingerprint)
    from core.vectorstore import open_client, registry_collection

    return list(read_registry(registry_collection(open_client(settings), settings)).values())


__all__ = ["load_calendar", "load_rulebook"]
