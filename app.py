"""Rammeaftale-assistenten: Streamlit entry point. Pages read widgets, call the assistant's
public API and render; nothing here touches Chroma, models or files directly."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Rammeaftale-assistenten", page_icon="📘", layout="wide")

PAGES = [
    st.Page("pages/1_Chat.py", title="Chat", icon="💬", default=True),
    st.Page("pages/2_Opsigelsesvarsel.py", title="Opsigelsesvarsel", icon="📅"),
    st.Page("pages/3_Takstberegner.py", title="Takstberegner", icon="🧮"),
    st.Page("pages/4_Takstaftaletjek.py", title="Takstaftaletjek", icon="✅"),
    st.Page("pages/5_Evals.py", title="Evals", icon="📊"),
    st.Page("pages/6_Dokumenter.py", title="Dokumenter", icon="📁"),
    st.Page("pages/7_Introduktion.py", title="Introduktion", icon="🧭"),
]

navigation = st.navigation(PAGES)
navigation.run()
