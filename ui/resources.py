"""Heavy objects built once per server process and shared by all sessions and pages."""

from __future__ import annotations

import streamlit as st

from assistant.api import Assistant, document_titles
from assistant.calculators.rules import RuleBook
from assistant.periods import load_rulebook
from core.settings import Settings, load_settings


@st.cache_resource(show_spinner="Indlæser sprogmodel og indeks …")
def get_assistant() -> Assistant:
    return Assistant.open(get_settings())


@st.cache_resource
def get_settings() -> Settings:
    return load_settings()


@st.cache_resource
def get_document_titles() -> dict[str, str]:
    """File name → title from corpus/manifest.yaml, for sources that carry only the file name
    (the glossary and timeline): a caseworker reads titles, not file names."""
    return document_titles(get_settings())


def get_rules() -> RuleBook:
    """The calculator rules, without loading the model the chat needs; read again only when an
    upload, a removal or a recorded rule changed which periods and rules there are."""
    settings = get_settings()
    return _rules_as_of(
        _stamp(settings.recorded_rules_path), _stamp(settings.data_dir / "uploads" / "metadata.json")
    )


@st.cache_resource(max_entries=2)
def _rules_as_of(recorded: int | None, uploads: int | None) -> RuleBook:
    return load_rulebook(get_settings())


def _stamp(path) -> int | None:
    return path.stat().st_mtime_ns if path.exists() else None


def ensure_index(assistant: Assistant) -> None:
    """Build the index from corpus/ on first start, with a progress bar; once per session,
    bring it up to date with corpus/ (quick when nothing changed)."""
    if not assistant.retriever.is_empty():
        if not st.session_state.get("corpus_synced"):
            with st.spinner("Tjekker om dokumenterne er ændret …"):
                assistant.documents.ensure_index()
            st.session_state.corpus_synced = True
        return
    with st.status("Bygger indekset over rammeaftalerne (første start) …", expanded=True) as status:
        bar = st.progress(0.0)

        def progress(fraction: float, text: str) -> None:
            bar.progress(min(1.0, fraction), text=text)

        report = assistant.documents.ensure_index(progress=progress)
        if report is not None and report.failed:
            for message in report.failed.values():
                st.error(message)
        status.update(label="Indekset er klar.", state="complete", expanded=False)
