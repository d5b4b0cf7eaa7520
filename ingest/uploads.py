"""The store of uploaded documents: ``data_dir/uploads`` holds each accepted upload under its
checked name, and ``metadata.json`` there the metadata its uploader gave, so a re-index rebuilds
uploads exactly as they were added. Files are written only after a successful ingest, each one
atomically (temporary file, fsync, rename), so a crash never leaves half a document behind."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from core.files import write_atomic
from core.settings import Settings
from ingest.errors import IngestError
from ingest.loaders import check_file_name
from ingest.prepare import UploadMeta

UPLOADS = "uploads"
METADATA_FILE = "metadata.json"


def uploads_dir(settings: Settings) -> Path:
    return settings.data_dir / UPLOADS


def read_upload_meta(settings: Settings) -> dict[str, UploadMeta]:
    """Metadata of every stored upload by file name (empty when nothing was uploaded)."""
    path = uploads_dir(settings) / METADATA_FILE
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {name: UploadMeta(**fields) for name, fields in raw.items()}
    except (ValueError, TypeError, AttributeError) as exc:
        raise IngestError(f"{path}: metadata for uploadede dokumenter er ugyldige ({exc}).") from exc


def save_upload(settings: Settings, file_name: str, data: bytes, meta: UploadMeta | None) -> Path:
    """Keep an ingested upload for re-indexing. The metadata is written first: an entry without
    its file is ignored by a re-index, a file without its entry would lose the user's metadata."""
    name = check_file_name(file_name)
    folder = uploads_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    metas = read_upload_meta(settings)
    metas[name] = meta or UploadMeta()
    _write_metadata(folder, metas)
    target = folder / name
    write_atomic(target, data)
    return target


def forget_upload(settings: Settings, file_name: str) -> bool:
    """Delete a stored upload and its metadata, so a re-index does not bring it back."""
    folder = uploads_dir(settings)
    metas = read_upload_meta(settings)
    known = metas.pop(file_name, None) is not None
    path = folder / file_name
    if path.parent == folder and path.is_file():
        path.unlink()
        known = True
    if known:
        _write_metadata(folder, metas)
    return known


def _write_metadata(folder: Path, metas: dict[str, UploadMeta]) -> None:
    payload = {name: asdict(meta) for name, meta in sorted(metas.items())}
    write_atomic(folder / METADATA_FILE, json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8"))
