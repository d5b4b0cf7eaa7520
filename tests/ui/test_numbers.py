"""The one parser behind every number field: Danish formats in, clear Danish errors out."""

from __future__ import annotations

import pytest

from ui.numbers import FieldReader, NumberFormatError, format_number, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234.567,89", 1234567.89),
        ("1234567,89", 1234567.89),
        ("9.500.000", 9_500_000.0),
        ("9 500 000", 9_500_000.0),
        ("9\u00a0500\u00a0000,5", 9_500_000.5),
        ("1.234", 1234.0),
        ("12,5 %", 12.5),
        ("9.500.000,00 kr.", 9_500_000.0),
        ("0", 0.0),
    ],
)
def test_danish_formats_are_read(text: str, value: float) -> None:
    assert parse_number(text, "Takst") == pytest.approx(value)


def test_an_empty_field_is_not_a_number() -> None:
    assert parse_number("  ", "Takst") is None


@pytest.mark.parametrize("text", ["1.5", "9500000.00", "12,3,4", "1.23.456", "tusind", "1e6", "12,5x"])
def test_ambiguous_or_bad_input_is_refused_in_danish(text: str) -> None:
    with pytest.raises(NumberFormatError, match="Takst: .* er ikke et tal. Skriv fx 1.234.567,89"):
        parse_number(text, "Takst")


def test_a_minus_only_where_a_field_allows_it() -> None:
    assert parse_number("−250.000", "Underskud", negative=True) == -250_000.0
    with pytest.raises(NumberFormatError, match="kan ikke være negativt"):
        parse_number("-1", "Takst")


@pytest.mark.parametrize(
    ("value", "text"), [(9_500_000, "9.500.000,00"), (-1234.5, "-1.234,50"), (0.25, "0,25")]
)
def test_format_is_the_inverse(value: float, text: str) -> None:
    assert format_number(value) == text
    assert parse_number(text, "x", negative=True) == pytest.approx(value)


def test_reader_gathers_every_problem_and_refuses_empty_required_fields() -> None:
    read = FieldReader()
    assert read.number("1.000,00", "Takst 2023", required=True) == 1000.0
    assert read.number("", "Takst 2024", required=True) is None
    assert read.number("", "Husleje") is None  # optional: empty means not given
    assert read.number("1.5", "Indeks 2024") is None
    assert not read.ok
    assert read.problems[0] == "Takst 2024: feltet er ikke udfyldt."
    assert read.problems[1].startswith("Indeks 2024: »1.5« er ikke et tal")
