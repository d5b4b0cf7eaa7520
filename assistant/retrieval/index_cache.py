"""What a query needs from the index, kept on disk between processes.

Reading it out of Chroma and building the lexical index (stemming every word of every passage)
took about 1.5 s of each cold `rammeaftale ask` on this corpus, for contents that only change
when a document does. The file is keyed by the registry fingerprint (each document's hash,
model and chunking version), the query vocabulary and the code that reads and builds the
contents, so any of those changing rebuilds it; a missing, stale or unreadable file is rebuilt,
never an error. It lives in the data folder beside the Chroma files, with the same trust.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from pathlib import Path

import assistant.retrieval.index_contents
import assistant.retrieval.lexical
import assistant.retrieval.sentence_vectors
import assistant.understanding.danish
import assistant.understanding.query
import core.records
from assistant.retrieval.index_contents import IndexContents
from assistant.understanding.query import QueryVocabulary
from core.digest import source_digest
from core.files import write_atomic

log = logging.getLogger(__name__)

CACHE_FILE = "index-contents.pickle"
_CODE = source_digest(
    assistant.understanding.danish,
    assistant.retrieval.index_contents,
    assistant.retrieval.lexical,
    assistant.understanding.query,
    assistant.retrieval.sentence_vectors,
    core.records,
)


def cache_key(fingerprint: tuple, vocabulary: QueryVocabulary) -> str:
    """What the contents depend on: the documents, the query vocabulary, the code."""
    return hashlib.sha256(f"{fingerprint!r}\x1f{vocabulary!r}\x1f{_CODE}".encode()).hexdigest()


def load(data_dir: Path, key: str) -> IndexContents | None:
    """The contents stored for ``key``, or None when the file is missing, stale or unreadable."""
    try:
        with (data_dir / CACHE_FILE).open("rb") as file:
            stored_key, contents = pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a half-written or foreign file: rebuild, whatever it held
        log.info("index cache unreadable (%s); rebuilding", exc)
        return None
    return contents if stored_key == key else None


def save(data_dir: Path, key: str, contents: IndexContents) -> None:
    """Write atomically (a reader never sees half a file); a read-only folder only costs speed."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(data_dir / CACHE_FILE, pickle.dumps((key, contents), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as exc:
        log.info("index cache not written (%s)", exc)
