"""Retrieval: the index's contents held in memory per index version, and the hybrid (Danish BM25 +
dense) search over them (retriever.py)."""
