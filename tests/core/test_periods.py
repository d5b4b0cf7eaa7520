import pytest

from core.periods import PERIODS, UnknownPeriodError, detect_period, find_periods, normalize_period, periods_after_corpus


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
    ],
)
def test_detect_period(question: str, period: str | None) -> None:
    assert detect_period(question) == period


def test_a_multi_period_range_is_not_one_period() -> None:
    assert find_periods("takstaftalen for 2019-2022") == []


@pytest.mark.parametrize("value", ["2023-2024", "2024", "2023-24", " 2017 "])
def test_normalize_period_accepts_common_spellings(value: str) -> None:
    assert normalize_period(value) in PERIODS


def test_normalize_period_rejects_unknown_with_danish_message() -> None:
    with pytest.raises(UnknownPeriodError, match="Ukendt aftaleperiode"):
        normalize_period("2018")


def test_periods_spanned_expands_multi_year_ranges_for_comparisons() -> None:
    from core.periods import periods_spanned

    assert periods_spanned("fra 2019-22 til 2023-24") == ["2019-20", "2021-22", "2023-24"]
    assert periods_spanned("Hvad er opsigelsesvarslet?") == []
    assert periods_spanned("How have the tariffs developed from 2015 to 2026?") == list(PERIODS)
    assert periods_spanned("ændringer fra 2021 til 2024") == ["2021-22", "2023-24"]


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
    assert periods_after_corpus(question) == later
