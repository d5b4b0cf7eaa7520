"""Month names and the year a date without one means."""

from __future__ import annotations

from datetime import date

import pytest

from core.dates import current_period, format_date_da, month_numbers, year_for
from tests.bundled import BUNDLED


def test_month_names_cover_danish_and_english_with_abbreviations() -> None:
    names = month_numbers()
    assert names["marts"] == names["march"] == names["mar"] == 3
    assert names["maj"] == names["may"] == 5 and names["okt"] == names["october"] == 10


def test_format_date_uses_the_full_danish_month_name() -> None:
    assert format_date_da(date(2024, 5, 31)) == "31. maj 2024"
    assert format_date_da(date(2026, 1, 2)) == "2. januar 2026"


@pytest.mark.parametrize(
    ("day", "month", "today", "expected"),
    [
        (10, 3, date(2026, 12, 1), date(2026, 3, 10)),  # 2025-26: March 2025 and 2026; 2026 is nearer
        (15, 12, date(2026, 12, 1), date(2026, 12, 15)),  # two weeks ahead beats a year back
        (10, 3, date(2025, 2, 1), date(2025, 3, 10)),  # never into 2024, another period
        (1, 11, date(2025, 2, 1), date(2025, 11, 1)),
    ],
)
def test_a_date_without_a_year_is_the_nearest_one_in_the_current_period(day, month, today, expected) -> None:
    assert year_for(day, month, today) == expected


def test_a_day_that_does_not_exist_has_no_date() -> None:
    assert year_for(30, 2, date(2026, 12, 1)) is None


def test_after_the_corpus_periods_the_latest_period_is_current() -> None:
    assert current_period(date(2024, 6, 1), BUNDLED) == "2023-24"
    assert current_period(date(2031, 6, 1), BUNDLED) == "2025-26"
    assert current_period(date(2027, 6, 1), BUNDLED.with_period("2027-28")) == "2027-28"
