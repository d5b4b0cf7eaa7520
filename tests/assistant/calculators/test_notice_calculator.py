"""Notice calculator: properties over dates (month ends, leap years, year rollover, death)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.calculators.notice import compute_notice, end_of_month_after
from assistant.calculators.rules import CalculatorInputError

# Years that belong to a period in the corpus (2018 does not).
COVERED = st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 12, 31)) | st.dates(
    min_value=date(2017, 1, 1), max_value=date(2017, 12, 31)
)


@given(COVERED, st.booleans())
def test_last_paid_day_is_the_last_day_of_the_following_month(rules, notice_date, death):
    result = compute_notice(rules, notice_date, death=death)
    last = result.last_paid_day
    assert (last + timedelta(days=1)).day == 1  # a month end
    following = (notice_date.month % 12) + 1
    assert last.month == following
    assert last.year == notice_date.year + (1 if notice_date.month == 12 else 0)
    assert 28 <= (last - notice_date).days <= 61


@given(COVERED)
def test_death_gives_the_same_day_as_notice(rules, notice_date):
    ordinary = compute_notice(rules, notice_date)
    death = compute_notice(rules, notice_date, death=True)
    assert death.last_paid_day == ordinary.last_paid_day
    assert death.is_death and not ordinary.is_death
    assert "Dødsfald" in death.summary_da()


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.integers(0, 30))
def test_end_of_month_after_is_a_month_end_the_right_number_of_months_later(day, months):
    last = end_of_month_after(day, months)
    assert last.day == calendar.monthrange(last.year, last.month)[1]
    assert (last.year * 12 + last.month) - (day.year * 12 + day.month) == months


@pytest.mark.parametrize(
    ("notice", "expected"),
    [
        (date(2024, 1, 15), date(2024, 2, 29)),  # leap year
        (date(2025, 1, 31), date(2025, 2, 28)),
        (date(2020, 1, 1), date(2020, 2, 29)),
        (date(2024, 3, 15), date(2024, 4, 30)),
        (date(2024, 12, 1), date(2025, 1, 31)),  # year rollover
        (date(2023, 11, 30), date(2023, 12, 31)),
        (date(2017, 8, 31), date(2017, 9, 30)),
    ],
)
def test_known_dates(rules, notice, expected):
    assert compute_notice(rules, notice).last_paid_day == expected


def test_period_is_derived_from_the_date_and_results_say_how_the_rule_applies(rules):
    own = compute_notice(rules, date(2017, 5, 2))
    carried = compute_notice(rules, date(2024, 3, 15))
    unconfirmed = compute_notice(rules, date(2025, 6, 1))
    assert (own.period, own.basis) == ("2017", "own")
    assert (carried.period, carried.basis) == ("2023-24", "carried_forward")
    assert (unconfirmed.period, unconfirmed.basis) == ("2025-26", "carried_forward_unconfirmed")
    documents = {c.document for c in carried.clauses}
    assert "rammeaftale-2017-udviklingsstrategi-og-styringsaftale.txt" in documents
    assert "rammeaftale-2023-24.txt" in documents  # the continuation clause is cited too
    assert any("videreført, ubekræftet" in n for n in unconfirmed.notes)
    assert not any("videreført" in n for n in own.notes)


def test_objectively_financed_places_have_no_notice_period(rules):
    result = compute_notice(rules, date(2024, 3, 15), place_type="objective40")
    assert result.applies is False and result.last_paid_day is None
    assert "§ 40" in result.rule
    assert result.to_dict()["last_paid_day"] is None


def test_explicit_period_accepts_user_spelling_and_notes_a_mismatch(rules):
    result = compute_notice(rules, date(2024, 3, 15), period="2021-2022")
    assert result.period == "2021-22"
    assert any("2023-24" in n for n in result.notes)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"notice_date": date(2018, 5, 1)}, "2018"),
        ({"notice_date": date(2024, 5, 1), "period": "2030"}, "Ukendt aftaleperiode"),
        ({"notice_date": "2024-05-01"}, "Datoen er ugyldig"),
        ({"notice_date": date(2024, 5, 1), "place_type": "privat"}, "Ukendt pladstype"),
    ],
)
def test_bad_input_gives_a_danish_error(rules, kwargs, message):
    notice_date = kwargs.pop("notice_date")
    with pytest.raises(CalculatorInputError, match=message):
        compute_notice(rules, notice_date, **kwargs)


def test_json_contract(rules):
    data = compute_notice(rules, date(2024, 3, 15)).to_dict()
    assert data["last_paid_day"] == "2024-04-30"
    assert data["period"] == "2023-24"
    assert data["rule"].startswith("Opsigelsesvarslet er løbende måned plus én måned")
    assert [c["n"] for c in data["citations"]] == list(range(1, len(data["citations"]) + 1))
    assert {"document", "title", "section", "page", "quote"} <= set(data["citations"][0])
