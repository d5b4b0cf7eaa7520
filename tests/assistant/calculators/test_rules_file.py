"""rules.yaml: every quote is really in its document, and periods resolve as the corpus says."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import pytest
import yaml

from assistant.calculators.rules import REQUIRED_RULES, RulesFileError, build_rulebook, load_rules
from ingest.cleaning import normalize_for_match
from ingest.loaders import load_document

CORPUS_DIR = Path(__file__).resolve().parents[3] / "corpus"
RAW = yaml.safe_load((CORPUS_DIR / "rules.yaml").read_text(encoding="utf-8"))


def _all_clauses(raw: dict) -> list[dict]:
    clauses: list[dict] = []
    for period in raw["periods"].values():
        for rule in (period.get("rules") or {}).values():
            clauses += rule["clauses"]
        if period.get("continuation"):
            clauses.append(period["continuation"])
    for agreement in raw["tariff_agreements"]:
        clauses += agreement["clauses"]
    return clauses


CLAUSES = _all_clauses(RAW)


@cache
def _document_text(file_name: str) -> str:
    return normalize_for_match((CORPUS_DIR / file_name).read_text(encoding="utf-8"))


@cache
def _page_texts(file_name: str) -> dict[int | None, str]:
    doc = load_document(CORPUS_DIR / file_name)
    return {page.number: normalize_for_match(page.text) for page in doc.pages}


def _manifest() -> dict[str, dict]:
    data = yaml.safe_load((CORPUS_DIR / "manifest.yaml").read_text(encoding="utf-8"))
    return {entry["file"]: entry for entry in data["documents"]}


def test_rules_file_quotes_many_clauses():
    assert len(CLAUSES) >= 25


@pytest.mark.parametrize("clause", CLAUSES, ids=lambda c: c["quote"][:40])
def test_every_quoted_clause_occurs_in_its_document(clause):
    assert normalize_for_match(clause["quote"]) in _document_text(clause["document"])


@pytest.mark.parametrize(
    "clause", [c for c in CLAUSES if c["page"] is not None], ids=lambda c: c["quote"][:40]
)
def test_page_numbers_point_at_the_page_holding_the_quote(clause):
    assert normalize_for_match(clause["quote"]) in _page_texts(clause["document"])[clause["page"]]


@pytest.mark.parametrize("clause", CLAUSES, ids=lambda c: c["quote"][:40])
def test_clause_title_and_period_match_the_manifest(clause):
    entry = _manifest()[clause["document"]]
    titles = {entry["title"]} | {part["title"] for part in entry.get("parts", [])}
    assert clause["title"] in titles
    assert clause["period"] in entry["periods"]


def test_the_quote_check_rejects_text_that_is_not_there():
    # Guards against a tautological check: an altered clause must not match.
    altered = "Opsigelsesvarslet er løbende måned plus to måneder"
    assert normalize_for_match(altered) not in _document_text(
        "rammeaftale-2017-udviklingsstrategi-og-styringsaftale.txt"
    )


def test_every_period_resolves_every_required_rule(rules):
    assert set(rules.periods) == {"2017", "2019-20", "2021-22", "2023-24", "2025-26"}
    for period in rules.periods.values():
        assert set(REQUIRED_RULES) <= set(period.rules)


@pytest.mark.parametrize(
    ("period", "basis", "continuations"),
    [
        ("2017", "own", 0),
        ("2019-20", "carried_forward_unconfirmed", 0),
        ("2021-22", "carried_forward", 1),
        ("2023-24", "carried_forward", 2),
        ("2025-26", "carried_forward_unconfirmed", 2),
    ],
)
def test_carry_forward_basis_per_period(rules, period, basis, continuations):
    rule = rules.for_period(period).rule("notice_months_after_notice_month")
    assert rule.basis == basis
    assert rule.origin_period == "2017"
    assert len(rule.continuation) == continuations
    assert all("videreførelse" in c.quote for c in rule.continuation)


@pytest.mark.parametrize(
    ("period", "agreement"),
    [
        ("2017", "2015-2018"),
        ("2019-20", "2019-2022"),
        ("2021-22", "2019-2022"),
        ("2023-24", "2023-2024"),
        ("2025-26", "2025-2026"),
    ],
)
def test_each_period_has_its_takstaftale(rules, period, agreement):
    assert rules.for_period(period).tariff_agreement.id == agreement


def test_key_numbers(rules):
    p = rules.for_period("2017")
    assert p.rule("admin_max_pct").value == 6.1
    assert p.rule("tjm_pension_pct").value == 30.0
    assert p.rule("interest_rate_pct").value == 1.0
    assert p.rule("occupancy_boern_unge_pct").value == 98
    assert p.rule("occupancy_voksne_pct").value == 100
    assert p.rule("occupancy_forsorgshjem_krisecenter_pct").value is None
    assert p.rule("payment_deadline_min_days").value == 14
    assert p.rule("surplus_deficit_threshold_pct").value == 5


def _broken(mutate) -> dict:
    raw = copy.deepcopy(RAW)
    mutate(raw)
    return raw


@pytest.mark.parametrize(
    "mutate",
    [
        lambda r: r["periods"]["2021-22"].pop("continuation"),
        lambda r: r["periods"].update({"2030-31": {"basis": "own"}}),
        lambda r: r["periods"]["2017"]["rules"].pop("admin_max_pct"),
        lambda r: r["periods"]["2023-24"].update({"carried_from": "2025-26"}),
        lambda r: r["periods"]["2017"]["rules"]["admin_max_pct"].update({"clauses": []}),
        lambda r: r["periods"]["2017"]["rules"]["admin_max_pct"].update({"surprise": 1}),
    ],
    ids=["no-continuation", "unknown-period", "missing-rule", "carried-from-later", "no-clause", "extra-key"],
)
def test_invalid_rules_are_rejected(mutate):
    with pytest.raises(RulesFileError):
        build_rulebook(_broken(mutate))


def test_missing_rules_file_gives_a_clear_error(tmp_path):
    with pytest.raises(RulesFileError, match="regelfilen"):
        load_rules(tmp_path / "nope.yaml")
