"""The one error type ingest raises for bad input; its message is Danish and shown to the user."""


class IngestError(ValueError):
    """A document that cannot be ingested. The index is left exactly as it was."""
