"""The built lexical index, kept on disk between processes.

Building it stems every word of every passage (and the joined pairs compound splitting needs):
about a second of each cold `rammeaftale ask` on this corpus, for an index that only changes when
a document does. The file is keyed by the registry fingerprint, the query vocabulary and the code
that builds the index, so any of those changing rebuilds it; a missing, stale or unreadable file
is rebuilt, never an error. It lives in the data folder beside the Chroma files, with the same trust.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
from pathlib import Path

import assistant.analysis
import assistant.lexical
import assistant.query
import core.records
from assistant.lexical import LexicalIndex
from assistant.query import QueryExpander, QueryVocabulary
from core.digest import source_digest

log = logging.getLogger(__name__)

CACHE_FILE = "lexical-index.pickle"
_CODE = source_digest(assistant.analysis, assistant.lexical, assistant.query, core.records)

Built = tuple[LexicalIndex, QueryExpander]


def cache_key(fingerprint: tuple, vocabulary: QueryVocabulary) -> str:
    """What the built index depends on: the documents, the query vocabulary, the code."""
    return hashlib.sha256(f"{fingerprint!r}\x1f{vocabulary!r}\x1f{_CODE}".encode()).hexdigest()


def load(data_dir: Path, key: str) -> Built | None:
    """The index built for ``key``, or None when the file is missing, stale or unreadable."""
    try:
        with (data_dir / CACHE_FILE).open("rb") as file:
            stored_key, built = pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a half-written or foreign file: rebuild, whatever it held
        log.info("lexical index cache unreadable (%s); rebuilding", exc)
        return None
    return built if stored_key == key else None


def save(data_dir: Path, key: str, built: Built) -> None:
    """Write atomically (a reader never sees half a file); a read-only folder only costs speed."""
    path = data_dir / CACHE_FILE
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(pickle.dumps((key, built), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
    except OSError as exc:
        log.info("lexical index cache not written (%s)", exc)
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
