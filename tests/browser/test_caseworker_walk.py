"""Issue 15's walk, as a new caseworker and then the secretariat would take it, at 1024 px: chat
and its sources, feedback on an answer, the calculators with changed options, an upload of a good
and a broken file, and the Sekretariat page. Every page is checked for English words, "None",
cut-off columns; the forms for verdicts on fields nobody filled; uploads for messages out of view."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.checks import assert_danish, assert_in_viewport, assert_no_cut_columns
from tests.browser.driving import (
    ANSWER_TIMEOUT_MS,
    PAGE_TIMEOUT_MS,
    ask,
    choose,
    make_pdf,
    open_app,
    open_from_sidebar,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

FILE_NAME = re.compile(r"[\w-]+\.(txt|md|pdf)\b")
VERDICT = re.compile(r"overholdt|overholder|kan ikke afgøres|kan ikke vurderes")


def check_page(page: Page, data: Locator | None = None) -> None:
    assert_danish(page, data)
    assert_no_cut_columns(page)


def test_chat_sources_feedback_and_the_secretariat(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    answer = ask(page, "Hvad er opsigelsesvarslet?")
    source = answer.get_by_test_id("stExpander").first
    source.locator("summary").click()
    expect(source).to_contain_text(re.compile(r"Side: \d+"))
    # Sources by title, period, section and page: a caseworker never reads a file name.
    assert not FILE_NAME.search(answer.inner_text()), answer.inner_text()
    check_page(page)

    calculated = ask(page, "Borgeren blev opsagt den 15. marts 2024 – hvornår stopper betalingen?")
    expect(calculated).to_contain_text("Svaret kommer fra: beregneren Opsigelsesvarsel")
    check_page(page)

    feedback = calculated.get_by_test_id("stExpander").filter(has_text="Svaret er forkert / mangler noget")
    feedback.locator("summary").click()
    feedback.get_by_label("Hvad er forkert, eller hvad mangler?").fill("Der mangler reglen for dødsfald.")
    feedback.get_by_role("button", name="Send til sekretariatet").click()
    wait_until_idle(page)
    expect(feedback).to_contain_text("Sekretariatet har fået din besked")

    open_from_sidebar(page, "Sekretariat")
    expect(
        page.get_by_role("heading", name=re.compile(r"Tilbagemeldinger fra sagsbehandlere"))
    ).to_be_visible()
    report = page.get_by_test_id("stExpander").filter(has_text="hvornår stopper betalingen")
    expect(report.first).to_be_visible()
    report.first.locator("summary").first.click()
    expect(report.first).to_contain_text("Der mangler reglen for dødsfald.")
    check_page(page)

    choose(page, "Periode", "2019-20")
    page.get_by_role("button", name="Kør testspørgsmålene").click()
    summary = page.get_by_test_id("stAlert").filter(has_text="bestået").first
    expect(summary).to_be_visible(timeout=ANSWER_TIMEOUT_MS * 2)
    expect(summary).to_contain_text(re.compile(r"\d+ af \d+ bestået"))
    wait_until_idle(page)
    expect(page.get_by_role("heading", name="Nøgletal pr. periode")).to_be_visible()
    expect(page.get_by_role("tab", name="2019-20")).to_be_visible()
    check_page(page, data=page.get_by_test_id("stTabs"))  # the test questions themselves are data


def fields(page: Page) -> list[str]:
    return [label.strip() for label in page.get_by_test_id("stTextInput").locator("label").all_inner_texts()]


def fill(page: Page, label: str, text: str) -> None:
    page.get_by_label(label, exact=True).fill(text)


def test_tariff_check_shows_the_fields_the_years_need_and_judges_only_what_was_typed(
    page: Page, app_url: str
) -> None:
    open_app(page, app_url)
    open_from_sidebar(page, "Takstaftaletjek")
    assert fields(page) == ["Takst 2023 (kr.)", "Takst 2024 (kr.)"]

    low, high = page.get_by_role("slider").all()
    low.press("ArrowLeft")
    low.press("ArrowLeft")
    wait_until_idle(page)
    high.press("ArrowRight")
    wait_until_idle(page)
    page.get_by_text("Omregn med pris- og lønindeks").click()
    wait_until_idle(page)
    years = range(2021, 2026)
    assert fields(page) == [f for y in years for f in (f"Takst {y} (kr.)", f"Pris- og lønindeks {y}")]

    page.get_by_role("button", name="Tjek").click()
    wait_until_idle(page)
    expect(page.get_by_test_id("stAlert").first).to_contain_text("Tjekket er ikke lavet")
    expect(page.get_by_test_id("stMain")).not_to_contain_text(VERDICT)  # nothing typed, nothing judged

    for year in years:
        fill(page, f"Takst {year} (kr.)", "1.000.000,00")
        if year != 2025:
            fill(page, f"Pris- og lønindeks {year}", "100,0")
    page.get_by_role("button", name="Tjek").click()
    wait_until_idle(page)
    expect(page.get_by_test_id("stAlert").first).to_contain_text(
        "Pris- og lønindeks 2025: feltet er ikke udfyldt"
    )
    expect(page.get_by_test_id("stMain")).not_to_contain_text(VERDICT)  # one field empty: still no verdict

    fill(page, "Pris- og lønindeks 2025", "1.5")
    page.get_by_role("button", name="Tjek").click()
    wait_until_idle(page)
    expect(page.get_by_test_id("stAlert").first).to_contain_text("»1.5« er ikke et tal")

    fill(page, "Pris- og lønindeks 2025", "100,0")
    page.get_by_role("button", name="Tjek").click()
    wait_until_idle(page)
    expect(page.get_by_role("heading", name=re.compile(r"Takstaftale .*: "))).not_to_have_count(0)
    check_page(page)


def test_tariff_calculator_with_changed_options(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    open_from_sidebar(page, "Takstberegner")
    page.get_by_role("button", name="Beregn").click()
    wait_until_idle(page)
    expect(page.get_by_test_id("stAlert").first).to_contain_text(
        "Direkte driftsudgifter: feltet er ikke udfyldt"
    )
    expect(page.get_by_test_id("stMetric")).to_have_count(0)  # nothing computed from empty fields

    fill(page, "Direkte driftsudgifter pr. år (kr.)", "9.500.000,00")
    fill(page, "Heraf lønninger til tjenestemænd (kr.)", "1.200.000")
    fill(page, "Belægningsprocent", "95,5")
    fill(page, "Forrentningssats (%)", "3,5")
    page.get_by_label("Antal pladser").fill("12")
    choose(page, "Aftaleperiode", "2023-24")
    page.get_by_role("button", name="Beregn").click()
    wait_until_idle(page)
    expect(page.get_by_test_id("stMetricValue").first).to_contain_text(
        re.compile(r"^\d{1,3}(\.\d{3})*,\d\d kr\.$")
    )
    expect(page.get_by_text("Beregnet med en belægning på 95,5 %")).to_be_visible()
    expect(page.get_by_test_id("stTable").first).to_contain_text("Grundlag")
    check_page(page)


def test_upload_a_good_and_a_broken_file(page: Page, app_url: str, tmp_path: Path) -> None:
    open_app(page, app_url)
    open_from_sidebar(page, "Dokumenter")
    expect(page.get_by_text("højst 25 MB")).to_be_visible()
    check_page(page)  # the uploader's own "Upload" and "25MB per file" included
    heading = page.get_by_role("heading", name=re.compile(r"Indekserede dokumenter \(\d+\)"))
    before = int(re.search(r"\((\d+)\)", heading.inner_text()).group(1))

    upload(page, make_pdf(tmp_path / "zebrafinke-aftale.pdf"))
    added = page.get_by_test_id("stAlert").filter(has_text="Tilføjet: zebrafinke-aftale.pdf")
    expect(added).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    assert_in_viewport(page, added)
    expect(heading).to_have_text(f"Indekserede dokumenter ({before + 1})")
    table = page.get_by_test_id("stTable").first
    expect(table).to_contain_text("Rammeaftale for zebrafinkeområdet")
    expect(table).to_contain_text("zebrafinke-aftale.pdf")
    check_page(page)

    broken = tmp_path / "skadet.pdf"
    broken.write_bytes(b"%PDF-1.4 ikke en rigtig pdf")
    upload(page, broken)
    refused = page.get_by_test_id("stAlert").filter(has_text="skadet.pdf")
    expect(refused).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    assert_in_viewport(page, refused)
    expect(heading).to_have_text(f"Indekserede dokumenter ({before + 1})")  # refused, not half-indexed
    check_page(page)

    open_from_sidebar(page, "Chat", heading="Spørg rammeaftalerne")
    answer = ask(page, "Hvad betyder zebrafinkeordningen?")
    expect(answer).to_contain_text("fuglepleje")
    expect(answer.get_by_test_id("stExpander").filter(has_text="zebrafinke")).not_to_have_count(0)


def upload(page: Page, path: Path) -> None:
    """Choose the file and press the button with the button in the middle of the window, where a
    user who just filled in the form has it."""
    page.locator("input[type=file]").set_input_files(str(path))
    expect(page.get_by_test_id("stFileChip")).to_have_count(1)
    button = page.get_by_role("button", name="Tilføj til indekset")
    button.evaluate("element => element.scrollIntoView({block: 'center'})")
    button.click()
    wait_until_idle(page, timeout=ANSWER_TIMEOUT_MS)
    expect(page.get_by_test_id("stMain")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
