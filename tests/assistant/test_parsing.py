"""Danish date and amount parsing: the notations caseworkers use, and no exceptions on junk."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.parsing import (
    find_amounts,
    find_dates,
    looks_like_year,
    parse_amount,
    parse_date,
)

MONTHS = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15. marts 2024", date(2024, 3, 15)),
        ("15/3-2024", date(2024, 3, 15)),
        ("15.3.2024", date(2024, 3, 15)),
        ("2024-03-15", date(2024, 3, 15)),
        ("15. mar. 2024", date(2024, 3, 15)),
        ("Borgeren døde 3/1-2025, hvornår er sidste betalingsdag?", date(2025, 1, 3)),
        ("opsagt d. 1/12 2023.", date(2023, 12, 1)),
        ("den 29. februar 2024", date(2024, 2, 29)),
        ("den 29. februar 2023", None),  # not a leap year
        ("31/4-2024", None),
        ("Hvad er opsigelsesvarslet?", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_invalid_calendar_dates_are_reported_not_dropped():
    mentions = find_dates("opsagt 31. februar 2024")
    assert len(mentions) == 1 and mentions[0].value is None and mentions[0].raw == "31. februar 2024"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(range(5)))
def test_every_written_form_round_trips(day, form):
    text = [
        f"{day.day}. {MONTHS[day.month - 1]} {day.year}",
        f"{day.day}/{day.month}-{day.year}",
        f"{day.day}.{day.month}.{day.year}",
        day.isoformat(),
        f"{day.day}. {MONTHS[day.month - 1][:3]}. {day.year}",
    ][form]
    assert parse_date(f"Borgeren blev opsagt den {text}, hvad så?") == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9,5 mio.", 9_500_000),
        ("9.500.000 kr.", 9_500_000),
        ("12 pladser", 12),
        ("750.000", 750_000),
        ("1,2 mia", 1_200_000_000),
        ("500 t.kr.", 500_000),
        ("1.234,50 kr", 1234.5),
        ("ingen tal her", None),
    ],
)
def test_parse_amount(text, expected):
    value = parse_amount(text)
    assert value == (pytest.approx(expected) if expected is not None else None)


def test_amount_units_and_dates_are_kept_apart():
    amounts = find_amounts("døgntaksten med 12 pladser og 9,5 mio. i driftsudgifter den 15.3.2024 i 2024")
    assert [(a.value, a.unit) for a in amounts if not looks_like_year(a)] == [
        (12, "pladser"),
        (9_500_000, "kr"),
    ]
    assert any(looks_like_year(a) for a in amounts)


@given(st.text(max_size=200))
def test_never_raises_on_arbitrary_text(text):
    parse_date(text)
    parse_amount(text)
    find_dates(text)
    find_amounts(text)


def test_non_strings_give_nothing():
    assert parse_date(None) is None  # type: ignore[arg-type]
    assert find_amounts(12345) == []  # type: ignore[arg-type]


def test_a_date_without_a_year_gets_the_current_periods_year_and_says_so():
    from datetime import date

    from core.parsing import find_dates

    [mention] = find_dates(
        "Vi stopper anbringelsen den 10. marts, hvor længe skal vi betale?", today=date(2026, 12, 1)
    )
    assert mention.raw == "10. marts" and mention.value == date(2026, 3, 10) and mention.year_assumed
    [written] = find_dates("opsagt 10. marts 2024", today=date(2026, 12, 1))
    assert written.value == date(2024, 3, 10) and not written.year_assumed
