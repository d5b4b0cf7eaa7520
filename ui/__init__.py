"""Streamlit glue shared by the app's pages: cached resources and rendering helpers."""
