"""Onboarding data for new staff: the timeline of agreement periods and a search over the glossary.

The timeline (corpus/timeline.yaml) is data like the glossary: every item pins what a period
introduced or changed to a quoted clause, so the page shows nothing the documents do not say.
The glossary itself is loaded once, by assistant.understanding.query.QueryVocabulary; this module only searches it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from assistant.understanding.danish import STOPWORDS, stem, tokenize
from assistant.understanding.query import GlossaryTerm, QueryVocabulary
from core.periods import is_period_name, period_years
from core.yamlfiles import read_yaml

TIMELINE_FILE = "timeline.yaml"

ChangeKind = Literal["new", "changed", "continued", "in_force"]
KIND_LABELS: dict[str, str] = {
    "new": "Nyt",
    "changed": "Ændret",
    "continued": "Videreført",
    "in_force": "Gældende regel",
}


class TimelineError(ValueError):
    """timeline.yaml is missing or does not match its schema; the message says where."""


@dataclass(frozen=True)
class Source:
    document: str
    section: str
    quote: str


@dataclass(frozen=True)
class TimelineItem:
    kind: ChangeKind
    text: str
    source: Source

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class PeriodEntry:
    period: str
    title: str
    summary: str
    items: tuple[TimelineItem, ...]


@dataclass(frozen=True)
class Onboarding:
    """What the onboarding page shows: the glossary (from the query vocabulary) and the timeline."""

    glossary: tuple[GlossaryTerm, ...]
    timeline: tuple[PeriodEntry, ...]


# --- validation at the edge -------------------------------------------------------------------


class _SourceModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: str
    section: str
    quote: str

    @field_validator("document", "section", "quote")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()


class _ItemModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ChangeKind
    text: str
    source: _SourceModel

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()


class _PeriodModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: str
    title: str
    summary: str
    items: list[_ItemModel]

    @field_validator("period")
    @classmethod
    def _known_period(cls, value: str) -> str:
        if not is_period_name(value):
            raise ValueError(
                f"unknown period {value!r}: not an agreement period name (e.g. '2017', '2023-24')"
            )
        return value

    @field_validator("items")
    @classmethod
    def _has_items(cls, value: list[_ItemModel]) -> list[_ItemModel]:
        if not value:
            raise ValueError("a period needs at least one cited item")
        return value


class _TimelineModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    periods: list[_PeriodModel]

    @model_validator(mode="after")
    def _in_order_once(self) -> _TimelineModel:
        """A timeline read out of order would tell newcomers the wrong history."""
        names = [p.period for p in self.periods]
        if len(names) != len(set(names)):
            raise ValueError(f"a period occurs twice: {names}")
        if names != sorted(names, key=period_years):
            raise ValueError(f"periods must be in chronological order, got {names}")
        return self


def parse_timeline(data: object) -> tuple[PeriodEntry, ...]:
    """Validate raw timeline data and turn it into frozen records."""
    try:
        model = _TimelineModel.model_validate(data)
    except ValidationError as error:
        raise TimelineError(f"{TIMELINE_FILE} is invalid: {error}") from error
    return tuple(
        PeriodEntry(
            p.period,
            p.title.strip(),
            p.summary.strip(),
            tuple(TimelineItem(i.kind, i.text, Source(**i.source.model_dump())) for i in p.items),
        )
        for p in model.periods
    )


def load_timeline(corpus_dir: Path) -> tuple[PeriodEntry, ...]:
    path = corpus_dir / TIMELINE_FILE
    if not path.is_file():
        raise TimelineError(f"{path} not found")
    return parse_timeline(read_yaml(path))


def load_onboarding(corpus_dir: Path) -> Onboarding:
    """The glossary comes from the query vocabulary, so the page and retrieval read one loader."""
    return Onboarding(QueryVocabulary.load(corpus_dir).glossary, load_timeline(corpus_dir))


def glossary_source(term: GlossaryTerm) -> Source:
    """A glossary term's citation as the same record the timeline uses, so both render alike."""
    source = term.source
    return Source(*(str(source.get(key, "")) for key in ("document", "section", "quote")))


# --- glossary search --------------------------------------------------------------------------

# Staff without a Danish keyboard write "belaegning" for "belægning"; fold both sides alike.
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def search_glossary(terms: Sequence[GlossaryTerm], query: str) -> list[GlossaryTerm]:
    """Terms matching every content word of the query, best matches first.

    A query word matches a field when the word or its Danish stem occurs inside one of the
    field's words or their stems. Substring matching is what makes compounds work: "krisecenter"
    (stem "krisecent") occurs in "kvindekrisecentre", and "varsel" (stem "varsl") in the stem of
    "opsigelsesvarsel". Ranking: the term itself, then its synonyms and English, then its
    definition; ties keep the glossary's order. An empty query lists every term.
    """
    needles = _needles(query)
    if not needles:
        return list(terms)
    wanted = query.strip().casefold()
    ranked: list[tuple[int, int, GlossaryTerm]] = []
    for position, term in enumerate(terms):
        tier = _match_tier(term, needles)
        if tier is not None:
            exact = -1 if term.term.casefold() == wanted else 0
            ranked.append((tier + exact, position, term))
    return [term for _, _, term in sorted(ranked, key=lambda entry: entry[:2])]


def _needles(query: str) -> list[tuple[str, ...]]:
    """Per content word of the query: the forms of it that count as found (word, stem)."""
    tokens = [t for t in tokenize(query) if t not in STOPWORDS]
    return [tuple(dict.fromkeys(_fold(form) for form in (token, stem(token)))) for token in tokens]


def _match_tier(term: GlossaryTerm, needles: list[tuple[str, ...]]) -> int | None:
    """The weakest field tier needed to find every query word, or None if one is not found."""
    fields = (
        _haystack([term.term]),
        _haystack((*term.synonyms, *term.english)),
        _haystack([term.definition]),
    )
    worst = 0
    for forms in needles:
        tier = next((i for i, field in enumerate(fields) if any(form in field for form in forms)), None)
        if tier is None:
            return None
        worst = max(worst, tier)
    return worst


def _haystack(texts: Iterable[str]) -> str:
    """The field's words and their stems, folded, so a needle may sit inside either."""
    words = [token for text in texts for token in tokenize(text)]
    return " ".join(_fold(form) for word in words for form in (word, stem(word)))


def _fold(text: str) -> str:
    return text.casefold().translate(_FOLD)
