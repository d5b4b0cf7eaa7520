"""The Introduktion page driven through Streamlit's AppTest: the glossary and its search, the
cited timeline, and a starter question that opens the chat with the question pending.

The page runs inside a tiny st.navigation app (as app.py runs it), so st.switch_page resolves
"pages/1_Chat.py" exactly as in production."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from assistant.onboarding import load_onboarding, search_glossary
from core.settings import PROJECT_ROOT
from ingest.manifest import load_manifest
from tests.bundled import BUNDLED_PERIODS as PERIODS

ONBOARDING = load_onboarding(PROJECT_ROOT / "corpus")
HARNESS = """
import streamlit as st

st.navigation(
    [
        st.Page("pages/7_Introduktion.py", title="Introduktion", default=True),
        st.Page("pages/1_Chat.py", title="Chat"),
    ]
).run()
"""


def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """A main script next to a link to the real pages/ folder; the repo root on the import path."""
    monkeypatch.syspath_prepend(str(PROJECT_ROOT))
    monkeypatch.setenv("PYTHONPATH", str(PROJECT_ROOT))
    app_dir = tmp_path / "app"
    app_dir.mkdir()
    (app_dir / "pages").symlink_to(PROJECT_ROOT / "pages", target_is_directory=True)
    (app_dir / "app.py").write_text(HARNESS, encoding="utf-8")
    st.cache_resource.clear()  # settings are cached process-wide; each test brings its own
    return AppTest.from_file(str(app_dir / "app.py"), default_timeout=180)


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    app = make_app(tmp_path, monkeypatch).run()
    yield app
    st.cache_resource.clear()


def plain(text: str) -> str:
    """The text as shown: the page escapes document text for markdown (ui.render.escape_markdown)."""
    return re.sub(r"\\(.)", r"\1", text)


def markdown(app: AppTest) -> str:
    return "\n".join(plain(element.value) for element in app.markdown)


def captions(app: AppTest) -> list[str]:
    return [plain(element.value) for element in app.caption]


def test_page_shows_glossary_timeline_and_starters(page: AppTest) -> None:
    assert not page.exception
    assert page.title[0].value == "Introduktion for nye medarbejdere"
    assert [tab.label for tab in page.tabs] == ["Ordliste", "Tidslinje", "Kom i gang"]
    total = len(ONBOARDING.glossary)
    assert f"{total} af {total} begreber" in captions(page)
    assert [plain(header.value) for header in page.subheader] == [f"Rammeaftale {p}" for p in PERIODS]
    cited = sum(len(entry.items) for entry in ONBOARDING.timeline) + total
    assert len(page.expander) == cited  # one source expander per term and per timeline item
    assert len(page.button) >= 3


def test_glossary_search_narrows_to_the_compound(page: AppTest) -> None:
    page.text_input[0].set_value("krisecenter").run()
    assert not page.exception
    hits = search_glossary(ONBOARDING.glossary, "krisecenter")
    assert hits[0].term == "kvindekrisecenter" and len(hits) < 5
    assert f"{len(hits)} af {len(ONBOARDING.glossary)} begreber" in captions(page)
    assert "**kvindekrisecenter**" in markdown(page)
    assert "**driftsherre**" not in markdown(page)
    term = next(t for t in ONBOARDING.glossary if t.term == "kvindekrisecenter")
    title = load_manifest(PROJECT_ROOT / "corpus").entry(term.source["document"]).title
    label = f"Kilde: {title} · {term.source['section']}"  # the title a caseworker reads, not the file name
    assert label in [plain(e.label) for e in page.expander]
    timeline_items = sum(len(entry.items) for entry in ONBOARDING.timeline)
    assert len(page.expander) == timeline_items + len(hits)  # the hits' sources; the timeline unchanged


def test_a_search_without_hits_says_so(page: AppTest) -> None:
    page.text_input[0].set_value("xyzzyplugh").run()
    assert not page.exception
    assert any("Ingen begreber" in info.value for info in page.info)


def test_timeline_items_show_kind_text_and_quote(page: AppTest) -> None:
    text = markdown(page)
    assert "**Nyt:** Frem mod rammeaftalen fra 2027" in text
    assert "Børnehus Midt" in text
    quotes = [plain(m.value) for e in page.expander for m in e.markdown]
    assert any("minimum 3%" in quote for quote in quotes)


@pytest.mark.integration
def test_starter_question_opens_the_chat_with_the_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clicking a starter switches to the chat page with the question pending. The chat page
    loads the real embedding model, so a one-document corpus keeps its index small."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("rules.yaml", "glossary.yaml", "translations.yaml", "timeline.yaml"):
        shutil.copy(PROJECT_ROOT / "corpus" / name, corpus / name)
    (corpus / "aftale.txt").write_text("Opsigelse\n\nOpsigelsesvarslet er seks måneder.\n", encoding="utf-8")
    monkeypatch.setenv("RAMME_CORPUS_DIR", str(corpus))
    app = make_app(tmp_path, monkeypatch).run()
    question = "Hvad er opsigelsesvarslet?"
    next(button for button in app.button if button.label == question).click().run()
    assert not app.exception
    assert app.title[0].value == "Spørg rammeaftalerne"  # the chat page ran
    if "pending" in app.session_state:  # the chat has not consumed it (yet)
        assert app.session_state["pending"] == question
    else:  # a chat that consumes `pending` shows it as the user's message
        assert question in [element.value for element in app.text]
    st.cache_resource.clear()
