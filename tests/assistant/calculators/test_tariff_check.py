"""Tariff-agreement check: table of offers against each period's takstaftale."""

from __future__ import annotations

import pytest

from assistant.calculators.rules import CalculatorInputError
from assistant.calculators.tariff_check import check_tariffs


@pytest.mark.parametrize(
    ("tariffs", "index", "expected"),
    [
        # 2015-18: at least 3 % reduction from 2015 to 2018
        ({2015: 1000, 2018: 970}, None, {"2015-2018": True}),
        ({2015: 1000, 2018: 975}, None, {"2015-2018": False}),
        ({2014: 1000, 2015: 990, 2018: 970}, None, {"2015-2018": True}),  # 2014->2015 cut counts
        ({2016: 1000, 2017: 990}, None, {"2015-2018": None}),  # base and end years missing
        # 2019-22: no increase and at least 2 % over the period
        ({2019: 1000, 2020: 990, 2021: 985, 2022: 980}, None, {"2019-2022": True}),
        ({2019: 1000, 2020: 1005, 2021: 985, 2022: 970}, None, {"2019-2022": False}),  # an increase
        ({2019: 1000, 2020: 1000, 2021: 995, 2022: 990}, None, {"2019-2022": False}),  # only 1 %
        ({2019: 1000, 2020: 990}, None, {"2019-2022": None}),  # 2022 missing
        # 2023-24 and 2025-26: no increase
        ({2023: 1000.0, 2024: 1000.0}, None, {"2023-2024": True}),
        ({2023: 1000.0, 2024: 1000.5}, None, {"2023-2024": False}),
        ({2025: 1000.0, 2026: 990.0}, None, {"2025-2026": True}),
        ({2025: 1000.0, 2026: 1010.0}, None, {"2025-2026": False}),
        ({2025: 1000.0}, None, {"2025-2026": None}),
        # fixed prices: a nominal rise equal to the price/wage index is no increase
        ({2023: 1000.0, 2024: 1030.0}, {2023: 100.0, 2024: 103.0}, {"2023-2024": True}),
        ({2023: 1000.0, 2024: 1040.0}, {2023: 100.0, 2024: 103.0}, {"2023-2024": False}),
        # spanning two agreements, each judged on its own
        ({2024: 1000.0, 2025: 1000.0, 2026: 1000.0}, None, {"2023-2024": None, "2025-2026": True}),
    ],
)
def test_agreement_table(rules, tariffs, index, expected):
    result = check_tariffs(rules, tariffs, index)
    assert {c.agreement_id: c.compliant for c in result.checks} == expected
    verdicts = list(expected.values())
    overall = False if False in verdicts else (None if None in verdicts else True)
    assert result.compliant is overall


def test_reasons_and_citations_explain_the_verdict(rules):
    result = check_tariffs(rules, {2023: 1000.0, 2024: 1050.0})
    check = result.checks[0]
    assert any("stiger fra 2023 til 2024" in r and "5,00 %" in r for r in check.reasons)
    assert any("Taksterne kan ikke stige i perioden" in c.quote for c in check.clauses)
    assert any("faste priser" in n for n in result.notes)
    assert result.to_dict()["checks"][0]["verdict"] == "ikke overholdt"


def test_year_before_the_period_counts_as_starting_level(rules):
    result = check_tariffs(rules, {2022: 900.0, 2023: 1000.0, 2024: 1000.0})
    check = next(c for c in result.checks if c.agreement_id == "2023-2024")
    assert check.compliant is False


def test_years_outside_every_agreement_are_noted(rules):
    result = check_tariffs(rules, {2027: 1000.0, 2028: 900.0})
    assert result.checks == () and result.compliant is None
    assert any("2027" in n for n in result.notes)


@pytest.mark.parametrize(
    ("tariffs", "index", "message"),
    [
        ({}, None, "mindst én takst"),
        ({2023: -5.0}, None, "positivt"),
        ({1999: 5.0}, None, "årstal"),
        ({2023: 1000.0, 2024: 1000.0}, {2023: 100.0}, "indekset mangler"),
        ({2023: 1000.0}, {2023: 0.0}, "positivt tal"),
    ],
)
def test_bad_input_gives_a_danish_error(rules, tariffs, index, message):
    with pytest.raises(CalculatorInputError, match=message):
        check_tariffs(rules, tariffs, index)
