"""Onboarding: glossary search finds terms the way staff type them, and the timeline loader
refuses data that would show newcomers a wrong or uncited history."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from assistant.onboarding import (
    TimelineError,
    load_onboarding,
    load_timeline,
    parse_timeline,
    search_glossary,
)
from assistant.understanding.query import GlossaryTerm, QueryVocabulary
from core.settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "corpus"
GLOSSARY = QueryVocabulary.load(CORPUS).glossary


def found(query: str, terms: tuple[GlossaryTerm, ...] = GLOSSARY) -> list[str]:
    return [term.term for term in search_glossary(terms, query)]


def term(
    name: str, definition: str = "", synonyms: tuple[str, ...] = (), english: tuple[str, ...] = ()
) -> GlossaryTerm:
    return GlossaryTerm(name, definition, synonyms, english, {})


# --- the real glossary, the way staff ask --------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("krisecenter", "kvindekrisecenter"),  # part of a compound
        ("Krisecentre", "kvindekrisecenter"),  # plural, capitalised
        ("varsel", "opsigelsesvarsel"),  # the stem of the compound's last part
        ("belaegningsprocent", "belægningsprocent"),  # typed without Danish letters
        ("faktura", "afregning"),  # a synonym staff use
        ("notice period", "opsigelsesvarsel"),  # English
        ("framework agreement", "rammeaftale"),
        ("hvad er en driftsherre?", "driftsherre"),  # question words are ignored
        ("OBJEKTIV FINANSIERING", "objektiv finansiering"),
    ],
)
def test_staff_wording_finds_the_term_first(query: str, expected: str) -> None:
    assert found(query)[:1] == [expected], found(query)


def test_a_word_only_in_definitions_still_finds_terms() -> None:
    hits = found("tjenestemandsopsparing")
    assert hits, "a definition-only word should still find something"


def test_unknown_words_find_nothing() -> None:
    assert found("xyzzyplugh") == []
    assert found("krisecenter xyzzyplugh") == []  # every query word must be found


def test_an_empty_query_lists_the_whole_glossary_in_its_order() -> None:
    assert found("") == [t.term for t in GLOSSARY]
    assert found("  hvad er  ") == [t.term for t in GLOSSARY]  # only stopwords


# --- ranking and matching rules, on a small glossary ---------------------------------------------

SMALL = (
    term("takstaftale", "Aftale om udviklingen i taksterne.", ("takstloft",), ("tariff agreement",)),
    term("afregning", "Driftsherren sender en regning hver måned.", ("faktura",), ("invoicing",)),
    term("takst", "Prisen for en plads.", ("pris",), ("tariff",)),
    term("tillægstakst", "Betaling ud over taksten.", (), ("supplementary rate",)),
)


def test_the_exact_term_comes_first_then_compounds_in_glossary_order_then_definitions() -> None:
    glossary = (*SMALL, term("ledelsesinformation", "Oversigt over takstudvikling og belægning."))
    assert found("takst", glossary) == ["takst", "takstaftale", "tillægstakst", "ledelsesinformation"]


def test_term_name_matches_rank_before_synonym_and_definition_matches() -> None:
    glossary = (
        term("betaling", "Om regninger og fakturaer."),
        term("afregning", "Driftsherren sender regninger.", ("faktura",)),
        term("faktura", "En regning."),
    )
    assert found("faktura", glossary) == ["faktura", "afregning", "betaling"]


def test_case_and_danish_letters_do_not_matter() -> None:
    glossary = (term("Økonomistyring", "Styring af udgifter.", (), ("financial control",)),)
    assert found("oekonomistyring", glossary) == ["Økonomistyring"]
    assert found("ØKONOMI", glossary) == ["Økonomistyring"]
    assert found("Financial", glossary) == ["Økonomistyring"]


def test_a_compound_part_finds_the_compound_but_not_the_other_way() -> None:
    glossary = (
        term("kvindekrisecenter", "Midlertidigt ophold.", ("krisecentre",)),
        term("center", "Et sted."),
    )
    assert found("krisecenter", glossary) == ["kvindekrisecenter"]
    assert "center" not in found("kvindekrisecenter", glossary)


# --- timeline loader ---------------------------------------------------------------------------


def _raw() -> dict:
    return yaml.safe_load((CORPUS / "timeline.yaml").read_text(encoding="utf-8"))


def test_onboarding_reads_the_glossary_through_the_query_vocabulary() -> None:
    onboarding = load_onboarding(CORPUS)
    assert onboarding.glossary == GLOSSARY
    assert onboarding.timeline == load_timeline(CORPUS)
    item = onboarding.timeline[0].items[0]
    assert item.label in {"Nyt", "Ændret", "Videreført", "Gældende regel"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.text = "ændret"  # frozen records


def test_periods_out_of_order_are_refused() -> None:
    data = _raw()
    data["periods"].reverse()
    with pytest.raises(TimelineError, match="chronological"):
        parse_timeline(data)


def test_an_unknown_period_is_refused() -> None:
    data = _raw()
    data["periods"][0]["period"] = "2018"
    with pytest.raises(TimelineError, match="unknown period"):
        parse_timeline(data)


def test_an_item_without_a_quote_is_refused() -> None:
    data = _raw()
    del data["periods"][0]["items"][0]["source"]["quote"]
    with pytest.raises(TimelineError, match="quote"):
        parse_timeline(data)


def test_an_unknown_kind_is_refused() -> None:
    data = _raw()
    data["periods"][0]["items"][0]["kind"] = "maybe"
    with pytest.raises(TimelineError):
        parse_timeline(data)


def test_a_period_without_items_is_refused() -> None:
    data = _raw()
    data["periods"][0]["items"] = []
    with pytest.raises(TimelineError, match="at least one"):
        parse_timeline(data)


def test_a_missing_file_says_where(tmp_path: Path) -> None:
    with pytest.raises(TimelineError, match="not found"):
        load_timeline(tmp_path)
