"""Chat with the agreements: questions in, cited answers out."""

from __future__ import annotations

import streamlit as st

from core.privacy import contains_cpr
from ui.feedback_form import render_feedback
from ui.render import escape_markdown, render_answer
from ui.resources import ensure_index, get_assistant

STARTERS = (
    "Hvad er opsigelsesvarslet?",
    "Hvor stor må administrationsprocenten være?",
    "Må taksterne stige i 2024?",
    "Hvordan reguleres over- og underskud?",
    "Hvad er fristen for betaling af regninger?",
    "Hvilke udviklingsområder har Rammeaftale 2025-2026?",
)
ALL = "Alle perioder"


def pick_starter() -> str | None:
    """Suggested questions for an empty conversation, gone as soon as one is picked. One column,
    so each question is readable in full in a narrow (1024 px) window."""
    placeholder = st.empty()
    picked = None
    with placeholder.container():
        st.markdown("**Forslag til spørgsmål:**")
        for i, starter in enumerate(STARTERS):
            if st.button(starter, key=f"starter-{i}", width="stretch"):
                picked = starter
    if picked:
        placeholder.empty()
    return picked


st.title("Spørg rammeaftalerne")
st.caption(
    "Svarene citerer rammeaftalerne og styringsaftalerne for de 19 midtjyske kommuner og Region "
    "Midtjylland. Tjek altid kilden, før du træffer en afgørelse."
)

assistant = get_assistant()
ensure_index(assistant)

with st.sidebar:
    choice = st.selectbox(
        "Aftaleperiode",
        [ALL, *get_assistant().documents.periods()],
        help="Afgræns svarene til én aftaleperiode.",
    )
    period = None if choice == ALL else choice
    if st.button("Ryd samtalen"):
        st.session_state.messages = []

messages: list[dict] = st.session_state.setdefault("messages", [])

for message in messages:
    with st.chat_message(message["role"]):
        if message["role"] == "user":
            st.text(message["content"])
        else:
            render_answer(message["answer"])
            render_feedback(message["answer"], key=str(id(message["answer"])))


def stream_answer(question: str, period: str | None, history: list[str]):
    """With a chat model: stream its text, then clear it – the validated answer (or the extractive
    fallback with its note) is rendered in its place by render_answer."""
    placeholder = st.empty()
    with placeholder.container(), st.spinner("Sprogmodellen skriver …"):
        stream = assistant.stream(question, period, history)
        st.write_stream(escape_markdown(chunk) for chunk in stream)
    placeholder.empty()
    return stream.answer


# A question handed over by another page (e.g. the starter questions on the Introduktion page).
question = st.chat_input("Skriv dit spørgsmål …") or st.session_state.pop("pending", None)
if not messages and not question:
    question = pick_starter()
if question:
    history = [m["content"] for m in messages if m["role"] == "user"]  # for follow-up questions
    messages.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.text(question)
        if contains_cpr(question):
            st.warning(
                "Dit spørgsmål ser ud til at indeholde et CPR-nummer. Skriv ikke personoplysninger i "
                "spørgsmål – de er ikke nødvendige for at få svar om rammeaftalerne."
            )
    with st.chat_message("assistant"):
        if assistant.chat_mode is not None:
            answer = stream_answer(question, period, history)
        else:
            with st.spinner("Finder svar i dokumenterne …"):
                answer = assistant.ask(question, period, history)
        render_answer(answer)
        render_feedback(answer, key=str(id(answer)))
    messages.append({"role": "assistant", "answer": answer})
