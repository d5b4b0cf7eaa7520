"""The app as staff use it: a real chromium, 1024 px wide, driving the Streamlit pages on loopback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from core.settings import PROJECT_ROOT

pytestmark = pytest.mark.browser

# The first question loads the embedding model in the server: allow for a slow CI machine.
ANSWER_TIMEOUT_MS = 90_000
PAGE_TIMEOUT_MS = 30_000


def registered(page_file: str) -> bool:
    """Whether app.py's PAGES lists the page; pages under construction are registered by the lead."""
    return f'"{page_file}"' in (PROJECT_ROOT / "app.py").read_text(encoding="utf-8")


def open_app(page: Page, url: str, path: str = "") -> None:
    page.goto(f"{url}/{path}")
    expect(page.get_by_test_id("stApp")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    wait_until_idle(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def wait_until_idle(page: Page, timeout: int = ANSWER_TIMEOUT_MS) -> None:
    """Wait for the script run to end: stApp carries its state ("initial", "running", "notRunning")
    and the status widget ("Running…") shows while one is in progress."""
    page.wait_for_timeout(300)  # let a click's rerun begin
    idle = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(idle).to_have_count(1, timeout=timeout)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=timeout)


def open_from_sidebar(page: Page, title: str, heading: str | None = None) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading or title, timeout=PAGE_TIMEOUT_MS)
    wait_until_idle(page)


def ask(page: Page, question: str) -> Locator:
    """Type a question in the chat input, send it with Enter and return the answer's message."""
    box = page.get_by_test_id("stChatInput").get_by_role("textbox")
    box.fill(question)
    box.press("Enter")
    return last_answer(page, question)


def last_answer(page: Page, question: str) -> Locator:
    messages = page.get_by_test_id("stChatMessage")
    expect(messages.filter(has_text=question).last).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    answer = messages.last
    expect(answer.get_by_test_id("stExpander").first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    wait_until_idle(page)
    return answer


def source_expander(answer: Locator, text: str) -> Locator:
    return answer.get_by_test_id("stExpander").filter(has=answer.page.locator("summary", has_text=text))


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
    expect(source_expander(answer, "11.3 Forudsætninger").first).to_contain_text("Procentsats")  # the first source
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


def test_tariff_calculator_numbers_in_full(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    open_from_sidebar(page, "Takstberegner")

    page.get_by_role("button", name="Beregn").click()

    values = page.get_by_test_id("stMetricValue")
    expect(values.first).to_contain_text("kr.", timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Budget")).to_be_visible()
    # A metric too wide for its column is cut with an ellipsis ("857.100,3…"): the check catches it.
    assert_no_horizontal_overflow(page)


@pytest.mark.skipif(not registered("pages/5_Evals.py"), reason="page not registered yet (pages/5_Evals.py)")
def test_evals_page_runs_one_period(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    open_from_sidebar(page, "Evals")

    choose(page, "Periode", "2019-20")
    page.get_by_role("button", name="Kør evals").click()

    summary = page.get_by_test_id("stAlert").filter(has_text="bestået").first
    expect(summary).to_be_visible(timeout=ANSWER_TIMEOUT_MS * 2)
    expect(summary).to_contain_text(re.compile(r"\d+/\d+ bestået"))
    expect(page.get_by_role("heading", name="Nøgletal pr. periode")).to_be_visible()
    expect(page.get_by_role("tab", name="2019-20")).to_be_visible()


@pytest.mark.skipif(
    not registered("pages/6_Dokumenter.py"), reason="page not registered yet (pages/6_Dokumenter.py)"
)
def test_upload_pdf_listed_and_answerable(page: Page, app_url: str, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "zebrafinke-aftale.pdf")
    open_app(page, app_url)
    open_from_sidebar(page, "Dokumenter")

    heading = page.get_by_role("heading", name=re.compile(r"Indekserede dokumenter \(\d+\)"))
    before = int(re.search(r"\((\d+)\)", heading.inner_text()).group(1))
    page.locator("input[type=file]").set_input_files(str(pdf))
    expect(page.get_by_test_id("stFileChip")).to_have_count(1)
    page.get_by_role("button", name="Tilføj til indekset").click()

    expect(page.get_by_text("Tilføjet: zebrafinke-aftale.pdf")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    wait_until_idle(page)
    expect(heading).to_have_text(f"Indekserede dokumenter ({before + 1})")
    # The grid renders only the columns in view: at 1024 px both the title and the file name are.
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_contain_text("Rammeaftale for zebrafinkeområdet")
    expect(grid).to_contain_text("zebrafinke-aftale.pdf")
    assert_no_horizontal_overflow(page)

    open_from_sidebar(page, "Chat", heading="Spørg rammeaftalerne")
    answer = ask(page, "Hvad betyder zebrafinkeordningen?")
    expect(answer).to_contain_text("fuglepleje")
    expect(source_expander(answer, "zebrafinke")).not_to_have_count(0)


def type_date(page: Page, label: str, text: str) -> None:
    """st.date_input is a segmented field (day, month, year spinbuttons): type the digits into it."""
    field = page.get_by_role("group", name=label)
    field.get_by_role("spinbutton").first.click()
    page.keyboard.type(text.replace(".", ""))
    expect(field).to_contain_text(re.compile(r"\D*".join(text.split("."))))


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def make_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    lines = [
        "Rammeaftale for zebrafinkeområdet 2023-24",
        "",
        "1. Zebrafinkeordningen",
        "Zebrafinkeordningen betyder, at kommunerne i fællesskab driver et særligt tilbud om fuglepleje.",
        "Tilbuddet har 12 pladser og finansieres efter takstprincippet.",
    ]
    pdf = canvas.Canvas(str(path), pagesize=A4)
    text = pdf.beginText(60, 780)
    for line in lines:
        text.textLine(line)
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return path


def assert_no_horizontal_overflow(page: Page) -> None:
    """At 1024 px nothing may push the page sideways (long answers, quotes and file names wrap) and
    no text is cut with an ellipsis (a metric, a button label)."""
    overflow = page.evaluate(
        """() => {
            const main = document.querySelector('main');
            const right = main.getBoundingClientRect().right;
            const wide = [...main.querySelectorAll('[data-testid="stMarkdownContainer"] *, [data-testid="stCaptionContainer"] *')]
                .filter(e => e.getBoundingClientRect().right > right + 1)
                .map(e => e.tagName + ': ' + e.textContent.slice(0, 60));
            const cut = [...main.querySelectorAll('*')]
                .filter(e => getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1)
                .map(e => e.textContent.trim().slice(0, 60))
                .filter(text => text);
            return {main: [main.scrollWidth, main.clientWidth],
                    page: [document.documentElement.scrollWidth, window.innerWidth], wide, cut};
        }"""
    )
    assert overflow["main"][0] <= overflow["main"][1] + 1, overflow
    assert overflow["page"][0] <= overflow["page"][1] + 1, overflow
    assert not overflow["wide"], overflow
    assert not overflow["cut"], f"text cut with an ellipsis: {overflow['cut']}"
