"""The app as staff use it: a real chromium, 1024 px wide, driving the Streamlit pages on loopback."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import assert_danish, assert_no_cut_columns
from tests.browser.driving import (
    PAGE_TIMEOUT_MS,
    ask,
    assert_no_horizontal_overflow,
    last_answer,
    open_app,
    open_from_sidebar,
    source_expander,
    type_date,
)

pytestmark = pytest.mark.browser


def test_chat_answer_with_source_expander(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Spørg rammeaftalerne")

    answer = ask(page, "Hvad er opsigelsesvarslet?")

    expect(answer).to_contain_text("løbende måned plus én måned")
    source = source_expander(answer, "13.4 Opsigelsesvarsel")
    expect(source).to_have_count(1)
    details = source.get_by_test_id("stExpanderDetails")
    expect(details).to_be_hidden()
    source.locator("summary").click()
    expect(details).to_be_visible()
    expect(details).to_contain_text("Opsigelsesvarslet er løbende måned plus én måned")
    expect(details).to_contain_text("Afsnit: 13.4 Opsigelsesvarsel")
    assert_no_horizontal_overflow(page)


def test_starter_question_button(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    assert_no_horizontal_overflow(page)  # every suggestion readable in full
    question = "Hvor stor må administrationsprocenten være?"
    page.get_by_role("button", name=question).click()

    answer = last_answer(page, question)

    expect(answer).to_contain_text("Administration")
    expect(answer).to_contain_text("6,1")
    expect(source_expander(answer, "11.3 Forudsætninger").first).to_contain_text(
        "Procentsats"
    )  # the first source
    # The suggestions belong to an empty conversation only.
    expect(page.get_by_role("button", name=question)).to_have_count(0)


def test_notice_calculator(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    open_from_sidebar(page, "Opsigelsesvarsel")

    type_date(page, "Dato for opsigelse eller dødsfald", "15.03.2024")
    page.get_by_role("button", name="Beregn").click()

    result = page.get_by_test_id("stAlertContentSuccess")
    expect(result).to_contain_text("30. april 2024", timeout=PAGE_TIMEOUT_MS)
    expect(result).to_contain_text("15. marts 2024")
    expect(page.get_by_test_id("stMetricValue")).to_have_text("30.04.2024")
    expect(page.get_by_role("heading", name="Kilder")).to_be_visible()
    assert_no_horizontal_overflow(page)
    assert_danish(page)


def test_tariff_calculator_numbers_in_full(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    open_from_sidebar(page, "Takstberegner")

    page.get_by_label("Direkte driftsudgifter pr. år (kr.)").fill("9.500.000,00")
    page.get_by_label("Antal pladser").fill("12")
    page.get_by_role("button", name="Beregn").click()

    values = page.get_by_test_id("stMetricValue")
    expect(values.first).to_contain_text("kr.", timeout=PAGE_TIMEOUT_MS)
    expect(values.last).to_have_text("857.100,34 kr.")
    expect(page.get_by_role("heading", name="Budget")).to_be_visible()
    # A metric too wide for its column is cut with an ellipsis ("857.100,3…"): the check catches it.
    assert_no_horizontal_overflow(page)
    assert_no_cut_columns(page)
    assert_danish(page)
    expect(page.get_by_text(re.compile(r"\d{7}\.\d\d"))).to_have_count(0)  # no "9500000.00" anywhere
