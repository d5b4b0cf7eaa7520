"""The corpus manifest: what each file is (title, period, type), and its parts when it bundles
several documents. Files without an entry get a title and period detected from their text."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from core.periods import is_period_name, periods_named
from core.yamlfiles import read_yaml
from ingest.errors import IngestError

MANIFEST_NAME = "manifest.yaml"


class PartEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    doc_type: str
    period: str | None = None
    starts_at: str | None = None

    @field_validator("period")
    @classmethod
    def _known_period(cls, value: str | None) -> str | None:
        if value is not None and not is_period_name(value):
            raise ValueError(f"not an agreement period name: {value!r} (e.g. '2017', '2027-28')")
        return value


class DocumentEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: str
    title: str
    periods: list[str]
    doc_type: str
    date: str | None = None
    publisher: str | None = None
    parts: list[PartEntry] = []

    @field_validator("periods")
    @classmethod
    def _period_names(cls, value: list[str]) -> list[str]:
        bad = [name for name in value if not is_period_name(name)]
        if bad:
            raise ValueError(f"not agreement period names: {bad} (e.g. '2017', '2027-28')")
        return value


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    documents: list[DocumentEntry] = []

    def entry(self, file_name: str) -> DocumentEntry | None:
        return next((doc for doc in self.documents if doc.file == file_name), None)


@dataclass(frozen=True)
class PartSpec:
    """One logical document inside a file, as the splitter needs it."""

    title: str
    doc_type: str
    period: str | None
    starts_at: str | None


def load_manifest(corpus_dir: Path) -> Manifest:
    """Read and validate corpus/manifest.yaml; an absent manifest is an empty one."""
    path = corpus_dir / MANIFEST_NAME
    if not path.exists():
        return Manifest()
    try:
        return Manifest.model_validate(read_yaml(path) or {})
    except (ValidationError, yaml.YAMLError) as exc:
        raise IngestError(f"{path}: manifestet er ugyldigt: {exc}") from exc


def parts_for(manifest: Manifest, file_name: str, text: str) -> tuple[PartSpec, ...]:
    """The parts of a file: from its manifest entry, or one part detected from the text."""
    entry = manifest.entry(file_name)
    if entry is None:
        return (PartSpec(detect_title(text, file_name), "dokument", detect_period(text), None),)
    if not entry.parts:
        period = entry.periods[0] if len(entry.periods) == 1 else None
        return (PartSpec(entry.title, entry.doc_type, period, None),)
    return tuple(PartSpec(p.title, p.doc_type, p.period, p.starts_at) for p in entry.parts)


def detect_period(text: str) -> str | None:
    """The period a document is mostly about: the most often named one, known or not, so the first
    document of a new agreement brings its period with it."""
    counts: Counter[str] = Counter()
    for line in text.splitlines():
        counts.update(periods_named(line))
    return counts.most_common(1)[0][0] if counts else None


def detect_title(text: str, file_name: str) -> str:
    """First substantial line, which in agreement documents is the title; else the file name."""
    for line in text.splitlines():
        candidate = " ".join(line.replace("#", " ").replace("*", " ").split())
        if 8 <= len(candidate) <= 120 and any(ch.isalpha() for ch in candidate):
            return candidate
    return Path(file_name).stem.replace("-", " ").replace("_", " ")
