"""The domain glossary: every term is defined, cited with a quote that really occurs in its
document, and reachable from the words staff use (synonyms or English)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from ingest.cleaning import normalize_for_match

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
GLOSSARY = CORPUS / "glossary.yaml"
REQUIRED_TERMS = (
    "takst",
    "takstaftale",
    "styringsaftale",
    "rammeaftale",
    "udviklingsstrategi",
    "driftsherre",
    "handlekommune",
    "betalingskommune",
    "objektiv finansiering",
    "belægningsprocent",
    "over-/underskud",
    "DASSOS",
    "KKR",
    "central udmelding",
    "sikrede afdelinger",
    "lands- og landsdelsdækkende tilbud",
    "opsigelsesvarsel",
    "afregning",
    "abonnementsordning",
    "tillægstakst",
    "differentierede takster",
    "basistakst",
    "ydelsestakst",
    "standardtakst",
    "individuelle takster",
    "forpligtende købsaftale",
    "delt finansieringsansvar",
    "tjenestemandspension",
    "forrentning",
    "administrationsprocent",
    "forsorgshjem",
    "kvindekrisecenter",
    "Socialstyrelsen",
    "Tilbudsportalen",
    "betalingsaftale",
    "den nære psykiatri",
    "borgere med komplekse udfordringer",
)


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: str
    section: str
    quote: str


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid")

    term: str
    definition: str
    source: Source
    synonyms: list[str] = []
    english: list[str] = []

    @field_validator("term", "definition")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @model_validator(mode="after")
    def _reachable(self) -> Term:
        if not [w for w in self.synonyms + self.english if w.strip()]:
            raise ValueError(f"{self.term}: needs at least one synonym or English entry")
        return self


class Glossary(BaseModel):
    terms: list[Term]


def load_glossary(path: Path = GLOSSARY) -> Glossary:
    return Glossary.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def _document(name: str) -> str:
    return normalize_for_match((CORPUS / name).read_text(encoding="utf-8"))


def quote_occurs(term: Term) -> bool:
    path = CORPUS / term.source.document
    return path.is_file() and normalize_for_match(term.source.quote) in _document(term.source.document)


def test_glossary_size_and_unique_terms() -> None:
    terms = [t.term.casefold() for t in load_glossary().terms]
    assert len(terms) >= 30
    assert len(terms) == len(set(terms)), sorted({t for t in terms if terms.count(t) > 1})


def test_required_terms_present() -> None:
    terms = {t.term.casefold() for t in load_glossary().terms}
    missing = [t for t in REQUIRED_TERMS if t.casefold() not in terms]
    assert not missing, missing


@pytest.mark.parametrize("term", load_glossary().terms, ids=lambda t: t.term)
def test_quote_occurs_in_its_document(term: Term) -> None:
    assert (CORPUS / term.source.document).is_file(), term.source.document
    assert quote_occurs(term), f"{term.term}: quote not found in {term.source.document}"


def test_a_false_quote_is_caught() -> None:
    """The check can fail: an invented clause is not accepted."""
    real = load_glossary().terms[0]
    fake = real.model_copy(
        update={"source": real.source.model_copy(update={"quote": "taksterne stiger med 10 %"})}
    )
    assert not quote_occurs(fake)


def test_a_term_without_synonyms_or_english_is_rejected() -> None:
    with pytest.raises(ValueError):
        Term.model_validate(
            {"term": "x", "definition": "y", "source": {"document": "d", "section": "s", "quote": "q"}}
        )
