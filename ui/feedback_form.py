""" "Svaret er forkert / mangler noget" under a chat answer: one text field and one button, so a
caseworker can flag an answer without knowing anything about test cases. The secretariat page
reads the reports (:mod:`ui.feedback`)."""

from __future__ import annotations

import streamlit as st

from core.records import Answer
from ui.feedback import report_feedback
from ui.resources import get_settings


def render_feedback(answer: Answer, key: str) -> None:
    """``key`` must be stable across reruns for the same answer, or the submit is lost."""
    sent = f"feedback-sent-{key}"
    with st.expander("Svaret er forkert / mangler noget"):
        if st.session_state.get(sent):
            st.success("Tak! Sekretariatet har fået din besked og ser på svaret.")
            return
        with st.form(f"feedback-{key}"):
            comment = st.text_area(
                "Hvad er forkert, eller hvad mangler?",
                placeholder="Fx: Fristen er 30 dage, ikke 14 – se styringsaftalen afsnit 7.",
            )
            submitted = st.form_submit_button("Send til sekretariatet")
        if submitted and not comment.strip():
            st.warning("Skriv kort, hvad der er forkert eller mangler, før du sender.")
        elif submitted:
            report_feedback(get_settings().data_dir, answer, comment)
            st.session_state[sent] = True
            st.success("Tak! Sekretariatet har fået din besked og ser på svaret.")
