"""Chroma client factory: embedded (persistent folder) or a Chroma server, chosen by settings.

Two collections: the chunks (with embeddings) and a small document registry that says which
version of each document is live. Writers add a new version's chunks first, then flip the
registry entry, then delete the old chunks, so readers never see a mix of two versions.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from core.settings import Settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

REGISTRY_SUFFIX = "-dokumenter"
SENTENCE_SUFFIX = "-saetninger"
HEADING_POSITION = -1  # a heading's record in the sentence collection has this position
GENERATION_SUFFIX = "-generation"


class VectorStoreError(RuntimeError):
    """Chroma cannot be reached or opened."""


def open_client(settings: Settings) -> ClientAPI:
    """A Chroma client for the configured mode."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_mode == "embedded":
        settings.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
    if settings.chroma_mode == "server":
        try:
            client = chromadb.HttpClient(
                host=settings.chroma_host,
                port=settings.chroma_port,
                headers=_auth_headers(settings.chroma_auth_header),
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:  # chromadb raises several transport-specific types
            raise VectorStoreError(
                f"Chroma-serveren på {settings.chroma_host}:{settings.chroma_port} svarer ikke. "
                "Tjek at serveren kører (chroma run --path MAPPE --host … --port …), og at "
                f"CHROMA_HOST, CHROMA_PORT og evt. CHROMA_AUTH_HEADER er sat rigtigt. ({exc})"
            ) from exc
        return client
    raise VectorStoreError(
        f"Chroma-tilstanden {settings.chroma_mode!r} understøttes ikke. Mulige: embedded, server."
    )


def chunk_collection(client: ClientAPI, settings: Settings) -> Collection:
    """The chunks with their vectors; searched in memory (assistant/retrieval/retriever.py), not by Chroma's
    approximate index, so every build of the same corpus answers alike."""
    return client.get_or_create_collection(
        settings.collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
    )


def sentence_collection(client: ClientAPI, settings: Settings) -> Collection:
    """One record per sentence of a chunk (and one per chunk heading), with its vector: the answer
    picker compares a question with each sentence, and computing those vectors at ingest means a
    question costs one embedding. Written and deleted together with the chunks (see ingest)."""
    return client.get_or_create_collection(
        settings.collection + SENTENCE_SUFFIX, metadata={"hnsw:space": "cosine"}, embedding_function=None
    )


def registry_collection(client: ClientAPI, settings: Settings) -> Collection:
    """One record per document: its live version hash and descriptive metadata."""
    return client.get_or_create_collection(
        settings.collection + REGISTRY_SUFFIX, metadata={"hnsw:space": "cosine"}, embedding_function=None
    )


def bump_generation(client: ClientAPI, settings: Settings) -> None:
    """Mark the registry as changed. Readers compare this one token per question instead of
    reading the whole registry (~30 ms at 500 documents; a round trip per call in server mode)."""
    collection = client.get_or_create_collection(
        settings.collection + GENERATION_SUFFIX, embedding_function=None
    )
    collection.modify(metadata={"token": uuid.uuid4().hex})


def read_generation(client: ClientAPI, settings: Settings) -> str | None:
    """The registry's change token; None when no writer has set one (an index from before
    tokens, or none yet), in which case readers must read the registry itself."""
    try:
        collection = client.get_collection(settings.collection + GENERATION_SUFFIX, embedding_function=None)
    except Exception:  # chromadb raises NotFoundError (embedded) or a transport-specific error
        return None
    token = (collection.metadata or {}).get("token")
    return str(token) if token else None


def _auth_headers(header: str) -> dict[str, str] | None:
    if not header:
        return None
    name, _, value = header.partition(":")
    if not value:
        raise VectorStoreError("CHROMA_AUTH_HEADER skal have formen 'Navn: værdi'.")
    return {name.strip(): value.strip()}
