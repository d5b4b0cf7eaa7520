"""Ingest pipeline: load -> clean -> split -> index. I/O only at the two ends."""
