"""Danish where Streamlit's own widgets speak English. The file uploader's "Upload" and "25MB per
file" and an input's "Press Enter to submit form" cannot be configured, so CSS hides them and
writes "Vælg fil" on the uploader's button; the pages' own labels state what they said (the
uploader's label gives the size limit, the same as ``server.maxUploadSize`` in the config)."""

from __future__ import annotations

import streamlit as st

_CSS = """
<style>
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button > * { display: none; }
[data-testid="stFileUploaderDropzone"] button::after { content: "Vælg fil"; }
[data-testid="InputInstructions"] { display: none; }
</style>
"""


def danish_widget_texts() -> None:
    """Called once per run by app.py, so it applies on every page."""
    st.html(_CSS)
