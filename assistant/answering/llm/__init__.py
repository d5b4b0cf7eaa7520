"""Optional generative answers through any LangChain chat model (``RAMME_LLM__MODEL``), under citation and
number guardrails, with the extractive answer as the fallback. Nothing here runs when it is unset."""
