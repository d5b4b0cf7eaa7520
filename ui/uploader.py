"""Danish words on Streamlit's file uploader. The widget's own texts ("Upload", "25MB per file")
are English and cannot be configured, so CSS hides them and writes "Vælg fil" on the button;
the page's label states the size limit (the same as ``server.maxUploadSize`` in the config)."""

from __future__ import annotations

import streamlit as st

_CSS = """
<style>
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button > * { display: none; }
[data-testid="stFileUploaderDropzone"] button::after { content: "Vælg fil"; }
</style>
"""


def danish_uploader_style() -> None:
    """Call once on a page with a file uploader, before or after the widget."""
    st.html(_CSS)
