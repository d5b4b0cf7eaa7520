"""Foundation shared by every layer: settings, records, periods and backend factories.

Nothing here imports from ``ingest``, ``assistant`` or the app, so data can flow one way:
corpus -> ingest -> Chroma -> assistant -> app / CLI.
"""
