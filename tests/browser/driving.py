"""Driving the Streamlit app in the browser as a user would: open a page, ask, choose, type, and
wait for the script run a click started to end."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

# The first question loads the embedding model in the server: allow for a slow CI machine.
ANSWER_TIMEOUT_MS = 90_000
PAGE_TIMEOUT_MS = 30_000
CHOOSE_ATTEMPTS = 3
CHOOSE_TIMEOUT_MS = 5_000


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


def type_date(page: Page, label: str, text: str) -> None:
    """st.date_input is a segmented field (day, month, year spinbuttons): type the digits into it."""
    field = page.get_by_role("group", name=label)
    field.get_by_role("spinbutton").first.click()
    page.keyboard.type(text.replace(".", ""))
    expect(field).to_contain_text(re.compile(r"\D*".join(text.split("."))))


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option in the selectbox with this exact label by keyboard: type to filter, open
    the list on the one match and take it (the list of a box near the window's edge may open out
    of view, where a click cannot reach it).

    The list is given CHOOSE_ATTEMPTS tries to open, as a user clicks a box again when nothing
    happened: in one CI run the typed filter left no list open on the Sekretariat page (CI keeps
    no screenshot, so why is not known)."""
    label_element = page.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True)
    field = page.get_by_test_id("stSelectbox").filter(has=label_element).locator("input")
    match = page.get_by_role("option", name=option, exact=True)
    for attempt in range(1, CHOOSE_ATTEMPTS + 1):
        # Mid-window and focused by a click first: a box filled without focus, low in the window,
        # opened no list at all once the Sekretariat page grew its rules section above the box.
        field.evaluate("element => element.scrollIntoView({block: 'center'})")
        field.click()
        field.fill(option)
        field.press("ArrowDown")
        try:
            expect(match).to_have_count(1, timeout=CHOOSE_TIMEOUT_MS)
            break
        except AssertionError:
            if attempt == CHOOSE_ATTEMPTS:
                raise
            field.press("Escape")
            page.wait_for_timeout(500)
    field.press("Enter")
    wait_until_idle(page)


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
            const texts = '[data-testid="stMarkdownContainer"] *, [data-testid="stCaptionContainer"] *';
            const wide = [...main.querySelectorAll(texts)]
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
