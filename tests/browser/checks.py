"""What a caseworker must never see, checked on the rendered page: English or developer words,
"None", a column cut off, a message out of view. Each check reads the DOM the browser drew."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

# Words that reached the UI before issue 15 (Streamlit's own widget texts, developer labels, raw
# tool names, test-suite jargon) and others of their kind. Matched as whole words, any case.
ENGLISH_WORDS = (
    "Upload",
    "Browse files",
    "Drag and drop",
    "per file",
    "Press Enter",
    "submit form",
    "Evals",
    "eval-case",
    "notice",
    "tariff",
    "check_tariffs",
    "fallback",
    "Note",
    "usage",
    "options",
    "cases",
    "passed",
    "failed",
    "xfailed",
    "XPASS",
    "p50",
    "p95",
    "Source",
    "Sources",
    "Download",
    "Running",
    "None",
)
# Emoji render as empty boxes on machines without an emoji font.
EMOJI = ("✅", "❌", "⚠️", "❗")
_ENGLISH = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH_WORDS)) + r")(?![\w-])", re.IGNORECASE)


def english_words(text: str) -> list[str]:
    """The listed English words and emoji in ``text``, each with the words around it."""
    found = [text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " ") for m in _ENGLISH.finditer(text)]
    return found + [e for e in EMOJI if e in text]


def assert_danish(page: Page, data: Locator | None = None) -> None:
    """Everything visible on the page (sidebar included) is free of the listed English words.
    ``data`` marks content that is not the UI's own words (the test questions, some of them
    English on purpose): only "None" is looked for there. Screen-reader announcements (aria-live,
    drawn nowhere, e.g. the select box's "5 options available") are Streamlit's and not read."""
    body = page.locator("body")
    nones = re.findall(r"(?<![\w-])None(?![\w-])", body.inner_text())
    assert not nones, "a cell or label shows None"
    unread = [page.locator("[aria-live]"), *([data] if data is not None else [])]
    for locator in unread:
        locator.evaluate_all("els => els.forEach(e => e.style.visibility = 'hidden')")
    try:
        found = english_words(body.inner_text())
    finally:
        for locator in unread:
            locator.evaluate_all("els => els.forEach(e => e.style.visibility = '')")
    assert not found, f"English or developer words on the page: {found}"


_CUT_COLUMNS_JS = """() => {
    const main = document.querySelector('main');
    const cut = [];
    for (const table of main.querySelectorAll('[data-testid="stTable"]')) {
        for (const box of [table, ...table.querySelectorAll('*')]) {
            const clips = ['auto', 'scroll', 'hidden'].includes(getComputedStyle(box).overflowX);
            if (box.scrollWidth > box.clientWidth + 1 && clips) {
                cut.push('table wider than its box: ' + table.innerText.slice(0, 60));
                break;
            }
        }
        for (const cell of table.querySelectorAll('th, td')) {
            if (cell.scrollWidth > cell.clientWidth + 1) cut.push('cell cut: ' + cell.innerText.slice(0, 60));
        }
    }
    for (const grid of main.querySelectorAll('[data-testid="stDataFrame"]')) {
        const scroller = grid.querySelector('.dvn-scroller');
        if (scroller && scroller.scrollWidth > scroller.clientWidth + 1) {
            cut.push('data grid columns out of view: ' + grid.innerText.slice(0, 60));
        }
    }
    return cut;
}"""


def assert_no_cut_columns(page: Page) -> None:
    """Every table column is in view and every cell shows its whole text (tables wrap, a data grid
    whose columns need a sideways scroll hides them at 1024 px)."""
    cut = page.evaluate(_CUT_COLUMNS_JS)
    assert not cut, f"columns cut off at {page.viewport_size['width']} px: {cut}"


def assert_in_viewport(page: Page, element: Locator) -> None:
    """The element is drawn inside the window, where the user is looking, not above or below it."""
    element.wait_for()
    box = element.bounding_box()
    height = page.viewport_size["height"]
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, (
        f"outside the {height} px window (top {box and box['y']:.0f}): {element.inner_text()[:80]}"
    )
