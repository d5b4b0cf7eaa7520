"""Documents page for the secretariat: what is indexed, add an upload with its metadata, remove,
re-index. Reads widgets, calls the Assistant, renders. File names and messages come from users,
so everything is shown escaped or in a dataframe (never as markdown or HTML)."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from assistant.api import UploadMeta
from core.periods import PERIODS
from core.registry import DocumentRecord
from ingest.indexing import IngestReport
from ui.render import escape_markdown
from ui.resources import get_assistant

AUTO_PERIOD = "Find ud fra teksten"
FLASH = "dokumenter_beskeder"  # messages shown after the rerun that refreshes the list


# Title and file name first and wide enough to read at 1024 px; the short columns after them.
COLUMNS = {
    "Titel": st.column_config.TextColumn(width="medium"),
    "Fil": st.column_config.TextColumn(width="medium"),
    "Periode": st.column_config.TextColumn(width="small"),
    "Type": st.column_config.TextColumn(width="small"),
    "Sider": st.column_config.NumberColumn(width="small"),
    "Tekststykker": st.column_config.NumberColumn(width="small"),
    "Indekseret": st.column_config.TextColumn(width="small"),
}


def document_rows(records: list[DocumentRecord]) -> list[dict]:
    return [
        {
            "Titel": r.title,
            "Fil": r.document,
            "Periode": r.period or "ukendt",
            "Type": r.doc_type,
            "Sider": r.pages or None,
            "Tekststykker": r.chunks,
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


def finish(messages: list[tuple[str, str]]) -> None:
    """Keep the messages for the next run and rerun, so the list above shows the change."""
    st.session_state[FLASH] = messages
    st.rerun()


def show_flash() -> None:
    for kind, text in st.session_state.pop(FLASH, []):
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
show_flash()

records = assistant.documents()
st.subheader(f"Indekserede dokumenter ({len(records)})")
if records:
    st.dataframe(document_rows(records), hide_index=True, use_container_width=True, column_config=COLUMNS)
else:
    st.info("Indekset er tomt. Klik på »Genindeksér« for at bygge det fra corpus-mappen.")

st.subheader("Tilføj dokument")
with st.form("upload", clear_on_submit=True):
    upload = st.file_uploader(
        f"PDF, TXT eller MD (højst {assistant.settings.max_upload_mb:g} MB)", type=["pdf", "txt", "md"]
    )
    title = st.text_input("Titel", placeholder="Tom = find titlen i teksten")
    period_choice = st.selectbox("Aftaleperiode", [AUTO_PERIOD, *PERIODS])
    doc_type = st.text_input("Dokumenttype", placeholder="fx rammeaftale, styringsaftale, bilag")
    submitted = st.form_submit_button("Tilføj til indekset", type="primary")
if submitted:
    if upload is None:
        st.warning("Vælg en fil først.")
    else:
        meta = UploadMeta(title, None if period_choice == AUTO_PERIOD else period_choice, doc_type)
        progress = progress_bar(f"Indekserer {upload.name} …")
        finish(report_messages(assistant.ingest_upload(upload.name, upload.getvalue(), meta, progress)))

st.subheader("Fjern eller genindeksér")
left, right = st.columns(2)
with left:
    with st.form("remove"):
        names = [r.document for r in records]
        name = st.selectbox("Dokument", names, index=None, placeholder="Vælg et dokument")
        sure = st.checkbox("Ja, fjern dokumentet fra indekset")
        removed = st.form_submit_button("Fjern", disabled=not records)
    st.caption("Dokumenter fra corpus-mappen kommer tilbage ved næste genindeksering.")
    if removed and name and not sure:
        st.warning("Sæt hak i »Ja, fjern dokumentet« for at bekræfte.")
    elif removed and name:
        found = assistant.remove(name)
        finish([("success", f"Fjernet: {name}") if found else ("error", f"{name} er ikke indekseret.")])
with right:
    st.caption("Læser corpus-mappen og de uploadede dokumenter igen; uændrede dokumenter springes over.")
    if st.button("Genindeksér"):
        report = assistant.reindex(progress_bar("Genindekserer …"))
        finish(report_messages(report) or [("info", "Ingen dokumenter fundet.")])
