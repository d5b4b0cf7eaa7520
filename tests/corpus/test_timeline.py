"""The timeline of agreement periods: every period is there, in order, and every item's quote
really occurs in the document it cites (the page must not put words in the agreements' mouth)."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from assistant.onboarding import PeriodEntry, TimelineItem, load_timeline
from ingest.cleaning import normalize_for_match
from tests.bundled import BUNDLED_PERIODS as PERIODS

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
TIMELINE = load_timeline(CORPUS)
ITEMS = [(entry.period, item) for entry in TIMELINE for item in entry.items]


@cache
def _document(name: str) -> str:
    return normalize_for_match((CORPUS / name).read_text(encoding="utf-8"))


def quote_occurs(item: TimelineItem) -> bool:
    path = CORPUS / item.source.document
    return path.is_file() and normalize_for_match(item.source.quote) in _document(item.source.document)


def missing_periods(timeline: tuple[PeriodEntry, ...]) -> list[str]:
    present = {entry.period for entry in timeline}
    return [period for period in PERIODS if period not in present]


@pytest.mark.parametrize(("period", "item"), ITEMS, ids=[f"{p}:{i.text[:40]}" for p, i in ITEMS])
def test_quote_occurs_in_its_document(period: str, item: TimelineItem) -> None:
    assert (CORPUS / item.source.document).is_file(), item.source.document
    assert quote_occurs(item), f"{period}: quote not found in {item.source.document}: {item.source.quote!r}"


def test_every_period_is_present_in_order() -> None:
    assert not missing_periods(TIMELINE)
    assert [entry.period for entry in TIMELINE] == list(PERIODS)


def test_every_period_says_what_it_introduced_or_changed() -> None:
    for entry in TIMELINE:
        assert entry.summary and len(entry.items) >= 3, entry.period
        assert any(item.kind in {"new", "changed"} for item in entry.items), entry.period


def test_the_key_facts_of_each_period_are_there() -> None:
    """The facts a newcomer asks about first; an edit that drops one should be noticed."""
    text = {entry.period: " ".join(item.text for item in entry.items) for entry in TIMELINE}
    assert "3 %" in text["2017"] and "6,1" in text["2017"]
    assert "løbende måned plus én måned" in text["2017"]
    assert "2 pct." in text["2019-20"] and "hvert andet år" in text["2019-20"]
    assert "Børnehus Midt" in text["2021-22"] and "ledsagelse" in text["2021-22"]
    assert "kan ikke stige" in text["2023-24"] and "1. juli 2022" in text["2023-24"]
    assert "2027" in text["2025-26"] and "overgangen" in text["2025-26"].lower()


def test_a_false_quote_is_caught() -> None:
    real = TIMELINE[-1].items[0]
    fake = replace(real, source=replace(real.source, quote="taksterne kan stige med 10 % i perioden"))
    assert quote_occurs(real)
    assert not quote_occurs(fake)


def test_a_quote_cited_from_the_wrong_document_is_caught() -> None:
    real = TIMELINE[-1].items[0]  # 2025-26, quoted from the Norddjurs case
    moved = replace(real, source=replace(real.source, document="rammeaftale-2023-24.txt"))
    assert not quote_occurs(moved)


def test_a_missing_period_is_caught() -> None:
    assert missing_periods(TIMELINE[1:]) == ["2017"]
