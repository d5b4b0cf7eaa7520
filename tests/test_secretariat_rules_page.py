"""The Sekretariat page's rules form driven through Streamlit's AppTest: a new period's document
in the index, its parameters shown as carried forward and unconfirmed, one recorded by quoting its
clause, a bad quote refused. Real Assistant, real Chroma in the test's data dir."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.integration

AGREEMENT = (
    "Rammeaftale 2027-28\n\n"
    "Styringsaftale 2027-28\n\n"
    "Administration (inkl. omkostninger til udvikling og dokumentation af kvalitet) 5,5 %\n"
)
ADMIN_ROW = "Administration (inkl. omkostninger til udvikling og dokumentation af kvalitet) 5,5 %"


def click(app: AppTest, label: str) -> AppTest:
    return next(b for b in app.button if b.label == label).click().run()


def plain(text: str) -> str:
    """Text as the caseworker reads it: the page markdown-escapes what it shows."""
    return re.sub(r"\\(.)", r"\1", text)


def rule_rows(app: AppTest) -> dict[str, str]:
    """Parameter -> basis, as the rules table shows them."""
    table = app.table[0].value.map(plain)
    return dict(zip(table["Parameter"], table["Grundlag"]))


def test_the_secretariat_records_a_new_periods_rule_by_quoting_it(page_over_small_corpus) -> None:
    page = page_over_small_corpus("5_Sekretariat.py", AGREEMENT)
    assert not page.exception
    assert page.selectbox(key="rules-period").value == "2027-28"  # the period came with the document
    assert rule_rows(page)["Administrationsprocent (højst)"] == "videreført, ubekræftet"

    form_parameter = next(s for s in page.selectbox if s.label == "Parameter")
    form_parameter.set_value("admin_max_pct")
    page.text_area[0].input("Administration 4,5 %")
    page = click(page, "Gem reglen")
    assert any("står ikke ordret i dokumentet" in e.value for e in page.error)

    page.text_area[0].input(ADMIN_ROW)
    page = click(page, "Gem reglen")
    assert not page.exception
    assert any(
        "Administrationsprocent (højst) = 5,5 (fra Rammeaftale 2027-28)" in plain(s.value)
        for s in page.success
    )
    page = page.run()
    assert rule_rows(page)["Administrationsprocent (højst)"] == "egen aftale"
