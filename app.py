"""Rammeaftale-assistenten: Streamlit entry point. Pages read widgets, call the assistant's
public API and render; nothing here touches Chroma, models or files directly."""

from __future__ import annotations

import streamlit as st

from ui.style import danish_widget_texts

st.set_page_config(page_title="Rammeaftale-assistenten", page_icon=":material/menu_book:", layout="wide")
danish_widget_texts()

PAGES = [
    st.Page("pages/1_Chat.py", title="Chat", icon=":material/chat:", default=True),
    st.Page("pages/2_Opsigelsesvarsel.py", title="Opsigelsesvarsel", icon=":material/event:"),
    st.Page("pages/3_Takstberegner.py", title="Takstberegner", icon=":material/calculate:"),
    st.Page("pages/4_Takstaftaletjek.py", title="Takstaftaletjek", icon=":material/fact_check:"),
    st.Page("pages/5_Sekretariat.py", title="Sekretariat", icon=":material/monitoring:"),
    st.Page("pages/6_Dokumenter.py", title="Dokumenter", icon=":material/folder:"),
    st.Page("pages/7_Introduktion.py", title="Introduktion", icon=":material/school:"),
]

navigation = st.navigation(PAGES)
navigation.run()
