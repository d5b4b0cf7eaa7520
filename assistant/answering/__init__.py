"""Answering: the extractive answer (extractive.py) with the learned answer picker (picking.py),
and the optional chat-model answer under guardrails (llm/)."""
