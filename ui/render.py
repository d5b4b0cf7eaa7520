"""Render answers and their sources. Document text is always shown as text, never as HTML or
markdown, so markup planted in a document cannot change the page."""

from __future__ import annotations

import re

import streamlit as st

from core.records import Answer, Citation

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|<>~$])")


def escape_markdown(text: str) -> str:
    """Make arbitrary text render literally in st.markdown (no links, emphasis or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_answer(answer: Answer) -> None:
    st.markdown(escape_markdown(answer.answer).replace("\n", "  \n"))
    for note in answer.notes:
        if note not in answer.answer:
            st.info(note)
    sources = [answer.mode] if answer.mode != "extraktiv" else []  # generativ / extraktiv (fallback)
    if answer.tool:
        sources.append(answer.tool)
    if sources:
        st.caption(f"Svaret kommer fra: {' · '.join(sources)}")
    heading = "Nærmeste passager" if answer.abstained else "Kilder"
    if answer.citations:
        st.caption(heading)
    for citation in answer.citations:
        render_citation(citation)


def citation_label(c: Citation) -> str:
    parts = [c.title]
    if c.section and c.section != c.title:
        parts.append(c.section)
    if c.page:
        parts.append(f"s. {c.page}" + (" (OCR-læst)" if c.ocr else ""))
    return f"[{c.n}] " + " · ".join(parts)


def render_citation(c: Citation) -> None:
    with st.expander(escape_markdown(citation_label(c))):
        st.markdown("> " + escape_markdown(c.quote).replace("\n", "  \n> "))
        meta = [f"Dokument: {c.document}", f"Periode: {c.period or 'ukendt'}"]
        if c.section:
            meta.append(f"Afsnit: {c.section}")
        meta.append(f"Side: {c.page}" if c.page else "Side: (kilden har ikke sider)")
        st.caption(escape_markdown(" · ".join(meta)))


def render_clauses(citations: list[Citation]) -> None:
    """The clauses a calculator result rests on, shown in full (a calculator page's sources)."""
    st.subheader("Kilder")
    for c in citations:
        page = f", s. {c.page}" if c.page else ""
        heading = escape_markdown(f"[{c.n}] {c.title}")
        where = escape_markdown(f"{c.section}{page} ({c.document})")
        st.markdown(f"**{heading}** – {where}\n\n> " + escape_markdown(c.quote).replace("\n", "  \n> "))
