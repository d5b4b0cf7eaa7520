"""Heavy objects built once per server process and shared by all sessions and pages."""

from __future__ import annotations

import streamlit as st

from assistant.api import Assistant
from core.settings import Settings, load_settings


@st.cache_resource(show_spinner="Indlæser sprogmodel og indeks …")
def get_assistant() -> Assistant:
    return Assistant.open(get_settings())


@st.cache_resource
def get_settings() -> Settings:
    return load_settings()


def ensure_index(assistant: Assistant) -> None:
    """Build the index from corpus/ on first start, with a progress bar."""
    if not assistant.retriever.is_empty():
        return
    with st.status("Bygger indekset over rammeaftalerne (første start) …", expanded=True) as status:
        bar = st.progress(0.0)
        report = assistant.ensure_index(progress=lambda fraction, text: bar.progress(min(1.0, fraction), text=text))
        if report is not None and report.failed:
            for message in report.failed.values():
                st.error(message)
        status.update(label="Indekset er klar.", state="complete", expanded=False)
