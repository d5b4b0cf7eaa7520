"""Benchmarks of quality, speed and scale (``python benchmarks/run.py``); not part of pytest."""
