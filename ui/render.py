"""Render answers and their sources. Document text is always shown as text, never as HTML or
markdown, so markup planted in a document cannot change the page."""

from __future__ import annotations

import re

import streamlit as st

from assistant.calculators.registry import calculators
from core.records import Answer, Citation

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|<>~$])")
MODE_LABELS = {"generativ": "generativ sprogmodel"}  # the extractive default needs no mention


def escape_markdown(text: str) -> str:
    """Make arbitrary text render literally in st.markdown (no links, emphasis or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_answer(answer: Answer) -> None:
    st.markdown(escape_markdown(answer.answer).replace("\n", "  \n"))
    for note in answer.notes:
        if note not in answer.answer:
            st.info(note)
    sources = [MODE_LABELS.get(answer.mode, answer.mode)] if answer.mode != "extraktiv" else []
    if answer.tool:
        shown = {c.name: c.shown_as for c in calculators()}  # in the words of the calculator's page
        sources.append(shown.get(answer.tool, "en af beregnerne"))
    if sources:
        st.caption(f"Svaret kommer fra: {' · '.join(sources)}")
    heading = "Nærmeste passager" if answer.abstained else "Kilder"
    if answer.citations:
        st.caption(heading)
    for citation in answer.citations:
        render_citation(citation)


def citation_label(c: Citation) -> str:
    """Where a source is, as a caseworker would look it up: title, period, section, page. The
    file name is for the secretariat (Dokumenter page), not for reading an answer."""
    parts = [c.title]
    if c.period and c.period not in c.title:
        parts.append(f"periode {c.period}")
    if c.section and c.section != c.title:
        parts.append(c.section)
    if c.page:
        parts.append(f"s. {c.page}" + (" (OCR-læst)" if c.ocr else ""))
    return f"[{c.n}] " + " · ".join(parts)


def render_citation(c: Citation) -> None:
    with st.expander(escape_markdown(citation_label(c))):
        st.markdown(quote_markdown(c.quote))
        meta = [f"Dokument: {c.title}", f"Periode: {c.period or 'ikke angivet'}"]
        if c.section:
            meta.append(f"Afsnit: {c.section}")
        meta.append(f"Side: {c.page}" if c.page else "Side: (dokumentet har ikke sidetal)")
        st.caption(escape_markdown(" · ".join(meta)))


def render_clauses(citations: list[Citation] | tuple[Citation, ...]) -> None:
    """The clauses a calculator result rests on, shown in full (a calculator page's sources)."""
    st.subheader("Kilder")
    for c in citations:
        st.markdown(f"**{escape_markdown(citation_label(c))}**\n\n" + quote_markdown(c.quote))


def quote_markdown(quote: str) -> str:
    """A quoted passage as a markdown block quote, its text escaped."""
    return "> " + escape_markdown(quote).replace("\n", "  \n> ")
