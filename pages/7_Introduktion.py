"""Introduktion for nye medarbejdere: the glossary (searchable, each term with its cited source),
the timeline of the agreement periods, and starter questions that open the chat.

Only reads corpus data through assistant.onboarding; it does not build the Assistant, so the page
opens without loading the embedding model or the index."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from assistant.onboarding import (
    Onboarding,
    PeriodEntry,
    Source,
    TimelineError,
    glossary_source,
    load_onboarding,
    search_glossary,
)
from assistant.understanding.query import GlossaryTerm
from ui.render import escape_markdown
from ui.resources import get_document_titles, get_settings

CHAT_PAGE = "pages/1_Chat.py"
STARTERS = (
    "Hvad er forskellen på handlekommune og betalingskommune?",
    "Hvad skal en takst indeholde?",
    "Hvad er opsigelsesvarslet?",
    "Hvad ændrede sig i takstaftalen fra 2019-22 til 2023-24?",
    "Hvilke udviklingsområder har Rammeaftale 2025-2026?",
    "What is a framework agreement?",
)


@st.cache_resource(show_spinner=False)
def get_onboarding(corpus_dir: str) -> Onboarding:
    """Loaded once per corpus folder; the glossary and timeline change only with a deploy."""
    return load_onboarding(Path(corpus_dir))


def render_source(source: Source, label: str = "Kilde") -> None:
    """Document text shown literally (escaped), like every other citation in the app."""
    title = get_document_titles().get(source.document, source.document)
    with st.expander(escape_markdown(f"{label}: {title} · {source.section}")):
        st.markdown("> " + escape_markdown(source.quote))
        st.caption(escape_markdown(f"Dokument: {title} · Afsnit: {source.section}"))


def render_term(term: GlossaryTerm) -> None:
    st.markdown(f"**{escape_markdown(term.term)}**  \n{escape_markdown(term.definition)}")
    details = []
    if term.synonyms:
        details.append("Også kaldt: " + ", ".join(term.synonyms))
    if term.english:
        details.append("Engelsk: " + ", ".join(term.english))
    if details:
        st.caption(escape_markdown(" · ".join(details)))
    render_source(glossary_source(term))


def render_glossary(glossary: tuple[GlossaryTerm, ...]) -> None:
    query = st.text_input(
        "Søg i ordlisten",
        placeholder="fx krisecenter, faktura, opsigelse eller notice period",
        help="Søger i begreber, synonymer, engelske ord og definitioner.",
    )
    hits = search_glossary(glossary, query)
    st.caption(f"{len(hits)} af {len(glossary)} begreber")
    if not hits:
        st.info("Ingen begreber matcher søgningen. Prøv et kortere ord, eller spørg i chatten.")
    for term in hits:
        render_term(term)


def render_period(entry: PeriodEntry) -> None:
    st.subheader(escape_markdown(entry.title))
    st.markdown(escape_markdown(entry.summary))
    for item in entry.items:
        st.markdown(f"**{item.label}:** {escape_markdown(item.text)}")
        render_source(item.source)


def render_starters() -> None:
    """A starter hands its question to the chat page, which asks it as if the user had typed it."""
    st.markdown("Klik på et spørgsmål for at stille det i chatten:")
    for i, question in enumerate(STARTERS):
        if st.button(question, key=f"intro-starter-{i}", width="stretch"):
            st.session_state.pending = question
            st.switch_page(CHAT_PAGE)


st.title("Introduktion for nye medarbejdere")
st.caption(
    "Rammeaftalerne er aftaler mellem de 19 midtjyske kommuner og Region Midtjylland om de "
    "specialiserede sociale tilbud. Her finder du ordene, historikken og gode første spørgsmål. "
    "Alt er citeret fra dokumenterne – tjek kilden, før du træffer en afgørelse."
)

try:
    onboarding = get_onboarding(str(get_settings().corpus_dir))
except TimelineError as error:
    st.error(f"Introduktionen kunne ikke indlæses: {error}")
    st.stop()
glossary_tab, timeline_tab, start_tab = st.tabs(["Ordliste", "Tidslinje", "Kom i gang"])
with glossary_tab:
    render_glossary(onboarding.glossary)
with timeline_tab:
    st.caption("Aftaleperioderne i rækkefølge, og hvad hver periode indførte eller ændrede.")
    for entry in onboarding.timeline:
        render_period(entry)
with start_tab:
    render_starters()
