"""Deterministic calculators over rules-as-data (corpus/rules.yaml)."""
