"""Period grammar (any year, known or not) and the calendar of known periods."""

import pytest

from core.periods import (
    PeriodCalendar,
    UnknownPeriodError,
    is_period_name,
    parse_period,
    period_of_year,
    periods_named,
)
from tests.bundled import BUNDLED

PERIODS = BUNDLED.names


@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("Hvad gælder i 2024?", "2023-24"),
        ("Hvad sagde 2017-aftalen om takster?", "2017"),
        ("Rammeaftale 2023-2024", "2023-24"),
        ("perioden 2023 – 2024", "2023-24"),
        ("takster i 2020", "2019-20"),
        ("Rammeaftale 2025-26", "2025-26"),
        ("Hvad er opsigelsesvarslet?", None),
        ("forskellen på 2021-22 og 2023-24", None),  # two periods: no single filter
        ("hvad skete der i 2018?", None),  # no agreement period in the corpus
        ("How long does the DK2020 agreement run?", None),  # a name, not the year 2020
        ("Hvad gælder i 2027-28?", None),  # not known until a document brings it
    ],
)
def test_detect_period(question: str, period: str | None) -> None:
    assert BUNDLED.detect(question) == period


def test_a_multi_period_range_is_not_one_period() -> None:
    assert BUNDLED.find("takstaftalen for 2019-2022") == []


@pytest.mark.parametrize("value", ["2023-2024", "2024", "2023-24", " 2017 "])
def test_normalize_accepts_common_spellings(value: str) -> None:
    assert BUNDLED.normalize(value) in PERIODS


def test_normalize_rejects_unknown_with_danish_message() -> None:
    with pytest.raises(UnknownPeriodError, match="Ukendt aftaleperiode"):
        BUNDLED.normalize("2018")
    with pytest.raises(UnknownPeriodError, match="Gyldige perioder: 2017, 2019-20"):
        BUNDLED.normalize("2027-28")


def test_periods_spanned_expands_multi_year_ranges_for_comparisons() -> None:
    assert BUNDLED.spanned("fra 2019-22 til 2023-24") == ["2019-20", "2021-22", "2023-24"]
    assert BUNDLED.spanned("Hvad er opsigelsesvarslet?") == []
    assert BUNDLED.spanned("How have the tariffs developed from 2015 to 2026?") == list(PERIODS)
    assert BUNDLED.spanned("ændringer fra 2021 til 2024") == ["2021-22", "2023-24"]


@pytest.mark.parametrize(
    "question, later",
    [
        ("Hvad står der i rammeaftalen for 2027-28?", ["2027-28"]),
        ("Which municipalities have signed the 2027/2028 agreement?", ["2027/2028"]),
        ("Hvad afløser takstaftalen fra 2027?", []),  # the 2025-26 agreement answers this
        ("fra 2025-26 til 2027-28", []),  # names a covered period too
        ("Hvad er opsigelsesvarslet?", []),
    ],
)
def test_periods_after_the_corpus(question: str, later: list[str]) -> None:
    assert BUNDLED.after(question) == later


@pytest.mark.parametrize(
    ("year", "period"),
    [
        (2016, None),
        (2017, "2017"),
        (2018, None),
        (2019, "2019-20"),
        (2020, "2019-20"),
        (2027, "2027-28"),
        (2028, "2027-28"),
        (2099, "2099-00"),
    ],
)
def test_the_grammar_maps_any_year_to_its_period(year: int, period: str | None) -> None:
    assert period_of_year(year) == period


def test_period_names_and_spellings_known_or_not() -> None:
    assert is_period_name("2027-28") and is_period_name("2017")
    assert not is_period_name("2028-29") and not is_period_name("2018") and not is_period_name("2027-2028")
    assert parse_period("2027-2028") == parse_period("2028") == parse_period("2027/28") == "2027-28"
    assert parse_period("2018") is None and parse_period("2021-22 og 2023-24") is None
    assert periods_named("Rammeaftale 2027-28 · side 3, gælder fra 2027") == ["2027-28"]


def test_a_new_period_joins_the_calendar_everywhere() -> None:
    calendar = BUNDLED.with_period("2027-28")
    assert calendar.latest == "2027-28" and calendar.names[:-1] == PERIODS
    assert calendar.detect("Hvad gælder i 2027-28?") == "2027-28"
    assert calendar.detect("Hvad gælder fra 2027?") == "2027-28"
    assert calendar.for_year(2028) == "2027-28" and calendar.for_year(2029) is None
    assert calendar.spanned("fra 2025-26 til 2027-28") == ["2025-26", "2027-28"]
    assert calendar.after("Hvad står der i rammeaftalen for 2027-28?") == []
    assert calendar.is_earlier("2025-26", "2027-28") and not calendar.is_earlier("2027-28", "2017")


def test_a_calendar_ignores_what_is_no_period_and_sorts_by_time() -> None:
    calendar = PeriodCalendar.of(["2023-24", None, "", "2017", "2018", "bilag", "2023-24", "2019-20"])
    assert calendar.names == ("2017", "2019-20", "2023-24")
