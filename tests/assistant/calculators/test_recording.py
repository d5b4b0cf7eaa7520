"""Recording a period's rules by quoting its clause: the quote check, reading the value, the
recorded rules file laid over the bundled one, and bad input that changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.calculators.recording import (
    PARAMETERS,
    RuleRecordingError,
    build_proposal,
    locate_quote,
    parameter,
    read_value,
    status_of,
    write_proposal,
)
from assistant.calculators.rules import Clause, RuleBook, load_rules
from tests.bundled import BUNDLED

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
BUNDLED_RULES = CORPUS / "rules.yaml"
PAGES = [
    (
        1,
        "Rammeaftale 2027-28\nStyringsaftale 2027-28 er på alle væsentlige punkter en videreførelse af de "
        "gældende administrative aftaler om finansiering, takstberegning og afregning.",
    ),
    (
        2,
        "2.1 Opsigelsesvarsel\nOpsigelsesvarslet er løbende måned plus to måne-\nder, dette gælder også ved dødsfald.",
    ),
    (
        3,
        "Administration (inkl. omkostninger til udvikling og dokumentation af kvalitet) 5,5 %\n"
        "Forrentning (Nationalbankens diskonto 1. maj året før plus 1 procent) 2,5\n"
        "Driftsherren sender månedlige afregninger.",
    ),
]


def clause(quote: str, page: int | None = 2) -> Clause:
    return Clause(
        "rammeaftale-2027-28.pdf", "Rammeaftale 2027-28", "2027-28", "2.1 Opsigelsesvarsel", page, quote
    )


TWO_MONTHS = "Opsigelsesvarslet er løbende måned plus to måneder"


def record(book: RuleBook, recorded: Path, key: str, quoted: Clause, confirms: bool = False) -> RuleBook:
    """Propose ``key`` for 2027-28 from ``quoted`` and write it, as the Sekretariat page does."""
    proposal = build_proposal(book, "2027-28", PARAMETERS[key], quoted, confirms)
    return write_proposal(BUNDLED_RULES, recorded, book, proposal)


@pytest.fixture
def rules():
    return load_rules(BUNDLED_RULES, None, BUNDLED.with_period("2027-28"))


def test_a_quote_is_found_on_its_page_across_a_line_end_hyphen() -> None:
    assert locate_quote("Opsigelsesvarslet er  løbende måned plus to måneder", PAGES) == 2


def test_a_quote_that_is_not_in_the_document_is_refused_in_danish() -> None:
    with pytest.raises(RuleRecordingError, match="står ikke ordret i dokumentet"):
        locate_quote("Opsigelsesvarslet er løbende måned plus tre måneder", PAGES)
    with pytest.raises(RuleRecordingError, match="mellem 10 og 400 tegn"):
        locate_quote("5,5 %", PAGES)


@pytest.mark.parametrize(
    ("key", "quote", "value"),
    [
        ("notice_months_after_notice_month", "Opsigelsesvarslet er løbende måned plus to måneder", 2),
        ("notice_months_after_notice_month", "Opsigelsesvarslet er løbende måned plus én måned", 1),
        (
            "admin_max_pct",
            "Administration (inkl. omkostninger til udvikling og dokumentation af kvalitet) 5,5 %",
            5.5,
        ),
        ("tjm_pension_pct", "Opsparing til pensionsomkostning for tjenestemænd 30,0", 30.0),  # a table row
        (
            "interest_rate_pct",
            "Forrentning (Nationalbankens diskonto 1. maj året før plus 1 procent) 2,5",
            1.0,
        ),
        ("payment_deadline_min_days", "Fristen for betaling fastsættes til minimum 14 dage.", 14),
        ("surplus_deficit_lag_years", "efterreguleres i taksterne to år efter", 2),
        (
            "invoice_interval",
            "Driftsherren sender  månedlige afregninger.",
            "Driftsherren sender månedlige afregninger.",
        ),
    ],
)
def test_the_value_is_read_from_the_quote(key: str, quote: str, value) -> None:
    assert read_value(PARAMETERS[key], quote) == value


@pytest.mark.parametrize(
    ("key", "quote", "message"),
    [
        (
            "admin_max_pct",
            "Administration og pension udgør 5,5 % og 28 % af budgettet",
            "Kan ikke læse én procentsats",
        ),
        ("admin_max_pct", "Administration beregnes efter bilag B", "Kan ikke læse én procentsats"),
        ("notice_months_after_notice_month", "Opsigelsesvarslet fremgår af bilag 3", "løbende måned plus"),
        ("continuation", "Styringsaftalen er ændret på flere punkter", "videreføres"),
    ],
)
def test_a_value_the_quote_does_not_state_clearly_is_refused(key: str, quote: str, message: str) -> None:
    with pytest.raises(RuleRecordingError, match=message):
        read_value(PARAMETERS[key], quote)


def test_an_unknown_parameter_is_refused_with_the_valid_ones() -> None:
    with pytest.raises(RuleRecordingError, match="Ukendt parameter: 'admin_pct'. Gyldige: notice_months"):
        parameter("admin_pct")


def test_a_known_period_without_rules_is_carried_forward_unconfirmed(rules) -> None:
    period = rules.for_period("2027")
    assert period.period == "2027-28" and period.basis == "carried_forward_unconfirmed"
    notice = period.rule("notice_months_after_notice_month")
    assert notice.basis == "carried_forward_unconfirmed" and notice.value == 1
    assert "ikke registreret regler for 2027-28" in notice.basis_text("2027-28")
    assert {s.basis_label for s in status_of(rules, "2027-28")} == {"videreført, ubekræftet"}


def test_recorded_rules_go_to_the_data_folder_and_override_the_carried_ones(rules, tmp_path: Path) -> None:
    recorded = tmp_path / "rules.yaml"
    book = record(rules, recorded, "notice_months_after_notice_month", clause(TWO_MONTHS))
    book = record(
        book,
        recorded,
        "invoice_interval",
        clause("Driftsherren sender månedlige afregninger.", 3),
        confirms=True,
    )
    assert load_rules(BUNDLED_RULES, recorded, rules.calendar) == book  # what was written is what is read
    period = book.for_period("2027-28")
    notice = period.rule("notice_months_after_notice_month")
    assert (notice.value, notice.basis, notice.clauses[0].document) == (2, "own", "rammeaftale-2027-28.pdf")
    invoice = period.rule("invoice_interval")  # carried forward with both clauses: 2017's and 2027-28's
    assert invoice.basis == "carried_forward" and invoice.value == "månedlig"
    periods = [c.period for c in invoice.all_clauses]  # and the continuations in between
    assert periods[0] == "2017" and periods[-1] == "2027-28"
    assert period.rule("admin_max_pct").basis == "carried_forward_unconfirmed"
    assert "Videreført, ubekræftet i 2027-28: " in period.unconfirmed_note(("admin_max_pct",))
    assert book.for_period("2025-26") == rules.for_period("2025-26")  # earlier periods untouched


def test_the_continuation_clause_confirms_every_carried_parameter(rules, tmp_path: Path) -> None:
    quote = (
        "Styringsaftale 2027-28 er på alle væsentlige punkter en videreførelse af de gældende "
        "administrative aftaler om finansiering, takstberegning og afregning."
    )
    proposal = build_proposal(rules, "2027-28", PARAMETERS["continuation"], clause(quote, 1))
    book = write_proposal(BUNDLED_RULES, tmp_path / "rules.yaml", rules, proposal)
    admin = book.for_period("2027-28").rule("admin_max_pct")
    assert admin.basis == "carried_forward" and admin.continuation[-1].quote == quote


def test_confirming_a_value_the_period_states_itself_is_refused(rules, tmp_path: Path) -> None:
    recorded = tmp_path / "rules.yaml"
    book = record(rules, recorded, "notice_months_after_notice_month", clause(TWO_MONTHS))
    before = recorded.read_bytes()
    with pytest.raises(RuleRecordingError, match="allerede angivet"):
        record(book, recorded, "notice_months_after_notice_month", clause(TWO_MONTHS), confirms=True)
    assert recorded.read_bytes() == before


def test_the_bundled_rules_file_is_never_written(rules, tmp_path: Path) -> None:
    before = BUNDLED_RULES.read_bytes()
    own = build_proposal(
        rules,
        "2027-28",
        PARAMETERS["admin_max_pct"],
        clause("Administration (inkl. omkostninger til udvikling og dokumentation af kvalitet) 5,5 %", 3),
    )
    write_proposal(BUNDLED_RULES, tmp_path / "rules.yaml", rules, own)
    assert BUNDLED_RULES.read_bytes() == before


def test_a_takstaftale_is_recorded_from_its_terms_and_checked_against(rules, tmp_path: Path) -> None:
    """The new period's takstaftale, quoted term by term, becomes an agreement over the period's
    years that the tariff-agreement check applies and cites."""
    from assistant.calculators.tariff_check import check_tariffs

    recorded = tmp_path / "rules.yaml"
    no_rise = clause("Taksterne kan ikke stige i perioden 2027-2028.", 4)
    book = record(rules, recorded, "tariff_no_increase", no_rise)
    cut = clause("Taksterne reduceres med minimum 1,5 pct. i hele perioden.", 4)
    book = record(book, recorded, "tariff_min_reduction_pct", cut)
    agreement = book.agreement_for_year(2028)
    assert agreement is not None and (agreement.first_year, agreement.last_year) == (2027, 2028)
    assert agreement.no_increase and agreement.min_reduction_pct == 1.5
    assert [c.quote for c in agreement.clauses] == [no_rise.quote, cut.quote]
    assert load_rules(BUNDLED_RULES, recorded, rules.calendar) == book
    rising = check_tariffs(book, {2027: 1000.0, 2028: 1010.0})
    assert rising.compliant is False
    assert any(c.quote == no_rise.quote for c in rising.clauses)
    falling = check_tariffs(book, {2027: 1000.0, 2028: 980.0})
    assert falling.compliant is True
    terms = {s.parameter.key: (s.value, s.basis) for s in status_of(book, "2027-28")}
    assert terms["tariff_no_increase"] == ("ja", "own") and terms["tariff_min_reduction_pct"] == (1.5, "own")


@pytest.mark.parametrize(
    ("key", "quote", "message"),
    [
        ("tariff_no_increase", "Taksterne følger pris- og lønudviklingen i perioden.", "ikke må stige"),
        ("tariff_min_reduction_pct", "Taksterne kan ikke stige i perioden 2027-2028.", "skal reduceres"),
    ],
)
def test_a_takstaftale_term_the_quote_does_not_state_is_refused(key: str, quote: str, message: str) -> None:
    with pytest.raises(RuleRecordingError, match=message):
        read_value(parameter(key), quote)


def test_a_takstaftale_cannot_be_carried_forward_by_a_confirming_clause(rules) -> None:
    with pytest.raises(RuleRecordingError, match="periodens egen formulering"):
        build_proposal(
            rules, "2027-28", PARAMETERS["tariff_no_increase"], clause("Taksterne kan ikke stige."), True
        )
