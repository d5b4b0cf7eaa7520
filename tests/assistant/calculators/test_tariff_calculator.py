"""Tariff calculator: table tests of the budget lines, regulation and tariffs; error paths."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.calculators.rules import CalculatorInputError
from assistant.calculators.tariff import TariffInput, compute_tariff

BASE = TariffInput(
    direct_operating_costs=9_500_000,
    places=12,
    target_group="voksne",
    period="2017",
    tjm_salaries=1_000_000,
    asset_value=10_000_000,
    depreciation=200_000,
    rent=50_000,
)
# 9.5m + 6.1 % admin (579,500) + 30 % of 1m (300,000) + 1 % of 10m (100,000) + 200,000 + 50,000
BASE_BUDGET = 10_729_500.0


def _line(result, label_start):
    return next(line for line in result.lines if line.label.startswith(label_start))


def test_itemised_budget_for_2017(rules):
    result = compute_tariff(rules, BASE)
    assert _line(result, "Administration").amount == pytest.approx(579_500)
    assert _line(result, "Administration").percentage == 6.1
    assert _line(result, "Pensionsopsparing").amount == pytest.approx(300_000)
    assert _line(result, "Forrentning").amount == pytest.approx(100_000)
    assert result.budget_total == pytest.approx(BASE_BUDGET)
    assert result.daily_tariff == pytest.approx(BASE_BUDGET / (12 * 365))
    assert result.annual_tariff_per_place == pytest.approx(BASE_BUDGET / 12)
    assert not any("Forrentningssatsen" in a for a in result.assumptions)  # 2017 has its own rate


@pytest.mark.parametrize(
    ("changes", "expected_daily"),
    [
        ({"target_group": "boern_unge"}, BASE_BUDGET / (12 * 365 * 0.98)),
        ({"target_group": "voksne", "occupancy_pct": 90}, BASE_BUDGET / (12 * 365 * 0.90)),
        ({"target_group": "forsorgshjem_krisecenter", "occupancy_pct": 85}, BASE_BUDGET / (12 * 365 * 0.85)),
        ({"admin_pct": 5.0}, (BASE_BUDGET - 579_500 + 475_000) / (12 * 365)),
        ({"interest_rate_pct": 2.0}, (BASE_BUDGET + 100_000) / (12 * 365)),
        ({"places": 24}, BASE_BUDGET / (24 * 365)),
    ],
)
def test_tariff_table(rules, changes, expected_daily):
    assert compute_tariff(rules, replace(BASE, **changes)).daily_tariff == pytest.approx(expected_daily)


@pytest.mark.parametrize(
    ("prior_result", "prior_budget", "expected_regulation"),
    [
        (400_000, 10_000_000, 0.0),  # surplus within 5 %: not regulated
        (-500_000, 10_000_000, 0.0),  # deficit exactly 5 %: not regulated
        (800_000, 10_000_000, -300_000),  # surplus beyond 5 %: the excess lowers the tariff
        (-800_000, 10_000_000, 300_000),  # deficit beyond 5 %: the excess raises the tariff
        (-600_000, None, -(-600_000 + 0.05 * BASE_BUDGET)),  # band measured on this year's budget
    ],
)
def test_surplus_and_deficit_regulation(rules, prior_result, prior_budget, expected_regulation):
    result = compute_tariff(rules, replace(BASE, prior_result=prior_result, prior_budget=prior_budget))
    assert result.regulation == pytest.approx(expected_regulation)
    assert result.amount_to_finance == pytest.approx(BASE_BUDGET + expected_regulation)
    if prior_budget is None:
        assert any("5 %-grænsen" in a for a in result.assumptions)


def test_within_threshold_notes_cite_the_5_percent_clauses(rules):
    surplus = compute_tariff(rules, replace(BASE, prior_result=100_000))
    deficit = compute_tariff(rules, replace(BASE, prior_result=-100_000))
    assert any("hensættes" in c.quote for c in surplus.clauses)
    assert any("kan ikke indregnes" in c.quote for c in deficit.clauses)


def test_every_computed_line_has_a_clause_and_assumptions_are_stated(rules):
    result = compute_tariff(rules, replace(BASE, period="2023-24"))
    for line in result.lines[1:]:
        assert line.clauses, line.label
    assert any("Administration" in a and "grundlaget" in a for a in result.assumptions)
    assert any("2017-satsen" in a for a in result.assumptions)  # 2023-24 has no own interest rate
    assert any("videreført" in n for n in result.notes)
    assert result.basis == "carried_forward"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"direct_operating_costs": -1.0}, "negative"),
        ({"direct_operating_costs": 0.0}, "større end 0"),
        ({"tjm_salaries": 20_000_000}, "Tjenestemandslønningerne"),
        ({"rent": -5.0}, "Huslejen"),
        ({"places": 0}, "pladser"),
        ({"places": 2.5}, "pladser"),
        ({"target_group": "ældre"}, "Ukendt målgruppe"),
        ({"target_group": "forsorgshjem_krisecenter"}, "belægningsprocent"),
        ({"admin_pct": 7.0}, "højst"),
        ({"occupancy_pct": 120.0}, "Belægningsprocenten"),
        ({"interest_rate_pct": -1.0}, "Forrentningssatsen"),
        ({"prior_budget": 0.0}, "t-2"),
        ({"period": "2018"}, "aftaleperiode"),
        ({"direct_operating_costs": float("nan")}, "tal"),
        ({"prior_result": 50_000_000, "prior_budget": 10_000_000}, "negativt"),
    ],
)
def test_bad_input_gives_a_danish_error(rules, changes, message):
    with pytest.raises(CalculatorInputError, match=message):
        compute_tariff(rules, replace(BASE, **changes))


def test_to_dict_is_json_ready(rules):
    import json

    data = compute_tariff(rules, BASE).to_dict()
    json.dumps(data)
    assert data["daily_tariff"] == round(BASE_BUDGET / (12 * 365), 2)
    assert data["lines"][1]["percentage"] == 6.1
    assert data["citations"]
