"""Documents page for the secretariat: what is indexed, add an upload with its metadata, remove,
re-index. Reads widgets, calls the Assistant, renders. File names and messages come from users,
so everything is shown escaped (never as markdown or HTML)."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from assistant.api import IngestReport, UploadMeta
from core.registry import DocumentRecord
from ui.render import escape_markdown
from ui.resources import get_assistant
from ui.tables import render_table

AUTO_PERIOD = "Find ud fra teksten"
FLASH = "dokumenter_beskeder"  # {place: messages} shown after the rerun that refreshes the list
UPLOAD, REMOVE, REINDEX = "upload", "remove", "reindex"  # where a message goes: by its button


def document_rows(records: list[DocumentRecord]) -> list[dict]:
    """Six columns: what fits in full beside the sidebar in a 1024 px window (the index's chunk
    count is the developers' figure, left to ``rammeaftale docs list``)."""
    return [
        {
            "Titel": r.title,
            "Fil": r.document,
            "Periode": r.period or "ukendt",
            "Type": r.doc_type,
            "Sider": r.pages or None,  # a text file has no pages: a dash, not "None"
            "Indekseret": _local_time(r.ingested_at),
        }
        for r in records
    ]


def _local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%d.%m.%Y %H:%M")
    except ValueError:
        return iso


def report_messages(report: IngestReport) -> list[tuple[str, str]]:
    """(kind, Danish text) for each file in a report."""
    messages = [("success", f"Tilføjet: {name}") for name in report.added]
    messages += [("success", f"Erstattet med den nye version: {name}") for name in report.replaced]
    messages += [("info", f"Uændret (allerede indekseret i denne version): {n}") for n in report.unchanged]
    messages += [("error", message) for message in report.failed.values()]
    return messages


def finish(place: str, messages: list[tuple[str, str]]) -> None:
    """Keep the messages for the next run and rerun, so the list above shows the change; the
    messages are shown at ``place``, next to the button that was pressed, not at the page top."""
    st.session_state[FLASH] = {place: messages}
    st.rerun()


def show_flash(place: str) -> None:
    for kind, text in st.session_state.get(FLASH, {}).pop(place, []):
        getattr(st, kind)(escape_markdown(text))


def progress_bar(label: str):
    bar = st.progress(0.0, text=label)
    return lambda fraction, text: bar.progress(min(1.0, max(0.0, fraction)), text=escape_markdown(text))


st.title("Dokumenter")
st.caption(
    "Dokumenterne, som assistenten svarer ud fra. Tilføj nye aftaler og bilag, når de er godkendt; "
    "en fil med samme navn erstatter den gamle version."
)
assistant = get_assistant()

records = assistant.documents.indexed()
st.subheader(f"Indekserede dokumenter ({len(records)})")
if records:
    render_table(document_rows(records))
else:
    st.info("Indekset er tomt. Klik på »Genindeksér« for at bygge det fra dokumentmappen.")

st.subheader("Tilføj dokument")
limit = f"{assistant.settings.max_upload_mb:g}".replace(".", ",")
with st.form("upload", clear_on_submit=True):
    upload = st.file_uploader(f"Fil: PDF, TXT eller MD, højst {limit} MB", type=["pdf", "txt", "md"])
    title = st.text_input("Titel", placeholder="Tom = find titlen i teksten")
    period_choice = st.selectbox(
        "Aftaleperiode",
        [AUTO_PERIOD, *get_assistant().documents.periods()],
        accept_new_options=True,
        help="Vælg en periode, eller skriv en ny aftaleperiode, fx 2027-28.",
    )
    doc_type = st.text_input("Dokumenttype", placeholder="fx rammeaftale, styringsaftale, bilag")
    submitted = st.form_submit_button("Tilføj til indekset", type="primary")
show_flash(UPLOAD)
if submitted:
    if upload is None:
        st.warning("Vælg en fil først.")
    else:
        meta = UploadMeta(title, None if period_choice == AUTO_PERIOD else period_choice, doc_type)
        progress = progress_bar(f"Indekserer {upload.name} …")
        finish(
            UPLOAD,
            report_messages(
                assistant.documents.ingest_upload(upload.name, upload.getvalue(), meta, progress)
            ),
        )

st.subheader("Fjern eller genindeksér")
left, right = st.columns(2)
with left:
    with st.form("remove"):
        names = [r.document for r in records]
        name = st.selectbox("Dokument", names, index=None, placeholder="Vælg et dokument")
        sure = st.checkbox("Ja, fjern dokumentet fra indekset")
        removed = st.form_submit_button("Fjern", disabled=not records)
    show_flash(REMOVE)
    st.caption("Dokumenter fra den faste dokumentmappe kommer tilbage ved næste genindeksering.")
    if removed and name and not sure:
        st.warning("Sæt hak i »Ja, fjern dokumentet« for at bekræfte.")
    elif removed and name:
        found = assistant.documents.remove(name)
        finish(
            REMOVE, [("success", f"Fjernet: {name}") if found else ("error", f"{name} er ikke indekseret.")]
        )
with right:
    st.caption("Læser dokumentmappen og de uploadede dokumenter igen; uændrede dokumenter springes over.")
    if st.button("Genindeksér"):
        report = assistant.documents.reindex(progress_bar("Genindekserer …"))
        finish(REINDEX, report_messages(report) or [("info", "Ingen dokumenter fundet.")])
    show_flash(REINDEX)
