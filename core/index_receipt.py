"""What lets a cold `rammeaftale ask` answer without opening Chroma.

Importing chromadb, opening its client and checking the corpus folder against the registry took
about 1 s of each cold ask, for an index that had not changed since the last one. Two small files
in the data folder let a process know that without Chroma:

- ``index-writes``: ``<token> <idle|writing>``. Every writer (ingest, upload, removal) sets a new
  token with "writing" before it touches the registry and a new token with "idle" after (through
  :func:`writing`), so a crashed write leaves "writing" behind and no receipt holds.
- ``index-receipt.json``: the registry fingerprint a process read from Chroma, the writes token it
  read it under, the Chroma database file's identity, the setup (collection, model, paths) and the
  corpus folder's files as they were when they were last brought into the index.

A receipt holds while the token is unchanged and idle, the database file is the same file and the
setup is the same; then its fingerprint (and with it the cached index contents) is what Chroma
would say. Its corpus part also holds while every corpus file has the size, time and inode it had.
Anything missing, unreadable or different means "read Chroma", never an error.

Only the embedded mode: a Chroma server can be written by other machines. It assumes what embedded
Chroma assumes, one writer at a time, and that the index is written through this product (a Chroma
folder swapped in by hand is noticed when it is a new file; ``rammeaftale ingest`` renews the token).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.embeddings import resolve_model
from core.files import write_atomic
from core.settings import Settings

log = logging.getLogger(__name__)

WRITES_FILE = "index-writes"
RECEIPT_FILE = "index-receipt.json"
DATABASE_FILE = "chroma.sqlite3"
IDLE, WRITING = "idle", "writing"
# A corpus file changed this recently may change again within the file system's timestamp tick
# without its size changing; a receipt is then not written (the next process tries again).
SETTLE_SECONDS = 2.0

FileState = tuple[str, int, int, int]  # relative path, size, mtime_ns, inode


@dataclass(frozen=True)
class Receipt:
    fingerprint: tuple  # core.registry.registry_fingerprint as read from Chroma
    writes: str  # the writes token it was read under
    database: tuple[int, int]  # (st_dev, st_ino) of Chroma's database file
    setup: str
    corpus: tuple[FileState, ...]  # the corpus folder's files that were in sync with the index
    ingest_version: str  # the chunking version that brought them in


@contextlib.contextmanager
def writing(settings: Settings) -> Iterator[None]:
    """Wrap every change to the registry: receipts read before or during it stop holding."""
    _set_writes(settings, WRITING)
    try:
        yield
    finally:
        _set_writes(settings, IDLE)


def trusted_fingerprint(settings: Settings) -> tuple | None:
    """The registry's fingerprint when a receipt vouches for it, else None (read Chroma)."""
    receipt = _valid_receipt(settings)
    return receipt.fingerprint if receipt is not None else None


def corpus_in_sync(settings: Settings, corpus: tuple[FileState, ...], ingest_version: str) -> bool:
    """The corpus folder (as ``corpus``) was brought into this very index by this ingest version."""
    receipt = _valid_receipt(settings)
    return receipt is not None and receipt.corpus == corpus and receipt.ingest_version == ingest_version


def record(
    settings: Settings,
    corpus: tuple[FileState, ...],
    ingest_version: str,
    read_fingerprint: Callable[[], tuple],
) -> bool:
    """Write a receipt for what ``read_fingerprint`` reads from Chroma, after the corpus folder
    (``corpus``, taken before it was ingested) was brought in. Nothing is written when a writer
    was busy or finished meanwhile, when the corpus changed or changed too recently to be sure."""
    if settings.chroma_mode != "embedded":
        return False
    before = _read_writes(settings)
    database = _database_identity(settings)
    if before is None or before[1] != IDLE or database is None:
        return False
    fingerprint = read_fingerprint()
    if _read_writes(settings) != before or corpus_state(settings.corpus_dir) != corpus or _unsettled(corpus):
        return False
    receipt = Receipt(fingerprint, before[0], database, _setup(settings), corpus, ingest_version)
    _write_quietly(settings.data_dir / RECEIPT_FILE, json.dumps(asdict(receipt)))
    return True


def corpus_state(corpus_dir: Path) -> tuple[FileState, ...]:
    """Every file under the corpus folder with its size, modification time and inode."""
    states: list[FileState] = []
    for root, _dirs, files in os.walk(corpus_dir):
        for name in files:
            path = os.path.join(root, name)
            with contextlib.suppress(FileNotFoundError):  # removed while we walked: not in the state
                stat = os.stat(path)
                states.append(
                    (os.path.relpath(path, corpus_dir), stat.st_size, stat.st_mtime_ns, stat.st_ino)
                )
    return tuple(sorted(states))


def _valid_receipt(settings: Settings) -> Receipt | None:
    if settings.chroma_mode != "embedded":
        return None
    receipt = _read_receipt(settings.data_dir / RECEIPT_FILE)
    if receipt is None:
        return None
    holds = (
        _read_writes(settings) == (receipt.writes, IDLE)
        and _database_identity(settings) == receipt.database
        and receipt.setup == _setup(settings)
    )
    return receipt if holds else None


def _read_receipt(path: Path) -> Receipt | None:
    """The receipt in ``path``, parsed once per version of the file: a warm process asks for it
    several times per question, and a stat is all that takes after the first."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    global _parsed
    version = (str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)  # a rewrite is a new inode
    cached = _parsed
    if cached is not None and cached[0] == version:
        return cached[1]
    receipt = _parse_receipt(path)
    _parsed = (version, receipt)
    return receipt


_parsed: tuple[tuple, Receipt | None] | None = None  # (file version, its receipt): see _read_receipt


def _parse_receipt(path: Path) -> Receipt | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Receipt(
            fingerprint=_tuples(data["fingerprint"]),
            writes=str(data["writes"]),
            database=(int(data["database"][0]), int(data["database"][1])),
            setup=str(data["setup"]),
            corpus=_tuples(data["corpus"]),
            ingest_version=str(data["ingest_version"]),
        )
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, IndexError, OSError) as exc:  # half-written or foreign
        log.info("index receipt unreadable (%s); reading the index", exc)
        return None


def _read_writes(settings: Settings) -> tuple[str, str] | None:
    """(token, idle|writing); a folder no writer has marked yet reads as idle with no token."""
    try:
        token, _, state = (settings.data_dir / WRITES_FILE).read_text(encoding="ascii").partition(" ")
    except FileNotFoundError:
        return ("", IDLE)
    except (OSError, ValueError):
        return None
    return token, state.strip()


def _set_writes(settings: Settings, state: str) -> None:
    """Unlike a receipt, this must not fail quietly: a write nobody marked would leave an old
    receipt holding. An unwritable data folder stops the write before it starts."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(settings.data_dir / WRITES_FILE, f"{uuid.uuid4().hex} {state}".encode("ascii"))


def _database_identity(settings: Settings) -> tuple[int, int] | None:
    try:
        stat = (settings.chroma_path / DATABASE_FILE).stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def _setup(settings: Settings) -> str:
    """What else the registry's meaning depends on: which collection, which model, which folders."""
    return _setup_of(settings.collection, resolve_model(settings), settings.chroma_path, settings.corpus_dir)


@lru_cache(maxsize=16)
def _setup_of(collection: str, model: str, chroma_path: Path, corpus_dir: Path) -> str:
    return repr((collection, model, str(chroma_path.resolve()), str(corpus_dir.resolve())))


def _unsettled(corpus: tuple[FileState, ...]) -> bool:
    newest = max((state[2] for state in corpus), default=0)
    return newest > time.time_ns() - SETTLE_SECONDS * 1e9


def _tuples(value: Any) -> Any:
    """JSON lists back into the tuples they were written from."""
    if isinstance(value, list):
        return tuple(_tuples(item) for item in value)
    return value


def _write_quietly(path: Path, text: str) -> None:
    """A receipt that cannot be written (a read-only folder) only costs speed."""
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        log.info("%s not written (%s)", path.name, exc)
