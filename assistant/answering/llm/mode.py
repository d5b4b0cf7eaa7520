"""What an Assistant holds when a chat model is configured: the model and the generative answerer,
built once. Kept out of assistant/api.py so the service layer only decides *which* path answers."""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel

from assistant.answering.llm.factory import make_chat_model
from assistant.answering.llm.generative import FallbackFn, GenerativeAnswerer, GenerativeOptions, SearchFn
from assistant.answering.llm.tools import make_tools
from assistant.calculators.rules import RuleBook
from core.settings import Settings


@dataclass(frozen=True)
class ChatMode:
    """The configured chat model and the answerer that uses it (calculators + retrieval as tools)."""

    model: BaseChatModel
    answerer: GenerativeAnswerer
    timeout_s: float

    @classmethod
    def build(
        cls,
        settings: Settings,
        search: SearchFn,
        rules: RuleBook,
        fallback: FallbackFn,
        model: BaseChatModel | None = None,
    ) -> ChatMode | None:
        """None when no model is configured (``RAMME_LLM__MODEL`` unset) and none is given (tests give one)."""
        model = model if model is not None else make_chat_model(settings)
        if model is None:
            return None
        options = GenerativeOptions(timeout_s=settings.llm.timeout_s, calendar=rules.calendar)
        return cls(
            model,
            GenerativeAnswerer(model, search, make_tools(rules), fallback, options),
            settings.llm.timeout_s,
        )
