"""The one factory for chat models. ``settings.llm.model`` = "provider:model" picks the backend; the
provider package is imported only inside its branch, so the LLM-free default never needs it.

Endpoints and keys come from the environment only (``OPENAI_BASE_URL``/``OPENAI_API_KEY``,
``OLLAMA_BASE_URL``) and are never logged: the log line names provider and model, nothing else.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Callable

from langchain_core.language_models import BaseChatModel

from core.settings import Settings

log = logging.getLogger(__name__)

INSTALL_HINT = "Installér sprogmodel-pakkerne med: pip install -e '.[llm]'"


class LLMConfigError(ValueError):
    """``RAMME_LLM__MODEL`` names no supported provider or is malformed (a ValueError, so the CLI shows it)."""


def make_chat_model(settings: Settings) -> BaseChatModel | None:
    """The configured chat model, or None when ``settings.llm.model`` is empty (extractive mode)."""
    spec = settings.llm.model.strip()
    if not spec:
        return None
    provider, _, model = spec.partition(":")
    provider, model = provider.strip().lower(), model.strip()
    if provider not in _BUILDERS:
        raise LLMConfigError(
            f"Sprogmodel-udbyderen {provider!r} understøttes ikke. Gyldige: {', '.join(PROVIDERS)} "
            "(RAMME_LLM__MODEL='udbyder:model', fx ollama:llama3.1)."
        )
    if not model:
        raise LLMConfigError(
            f"RAMME_LLM__MODEL mangler modelnavnet: brug fx '{provider}:{_EXAMPLES[provider]}'."
        )
    log.info("chat model: %s:%s", provider, model)
    return _BUILDERS[provider](model, settings)


def _ollama(model: str, settings: Settings) -> BaseChatModel:
    _require("langchain_ollama")
    from langchain.chat_models import init_chat_model

    kwargs: dict = {"temperature": 0, "client_kwargs": {"timeout": settings.llm.timeout_s}}
    if os.environ.get("OLLAMA_BASE_URL"):
        kwargs["base_url"] = os.environ["OLLAMA_BASE_URL"]
    return init_chat_model(model, model_provider="ollama", **kwargs)


def _openai(model: str, settings: Settings) -> BaseChatModel:
    """OpenAI or any OpenAI-compatible endpoint; the client reads base URL and key from the env.
    No retries: an unreachable endpoint should fall back at once, not after backoff."""
    _require("langchain_openai")
    from langchain.chat_models import init_chat_model

    return init_chat_model(
        model, model_provider="openai", temperature=0, timeout=settings.llm.timeout_s, max_retries=0
    )


def _require(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise LLMConfigError(f"Pakken {module} mangler. {INSTALL_HINT}")


_BUILDERS: dict[str, Callable[[str, Settings], BaseChatModel]] = {"ollama": _ollama, "openai": _openai}
_EXAMPLES = {"ollama": "llama3.1", "openai": "gpt-4o-mini"}
PROVIDERS: tuple[str, ...] = tuple(_BUILDERS)
