"""Writing a file so that readers see the old one or the new one, never a prefix of it: uploads,
their metadata, recorded rules, captured eval cases, the index cache and the index receipt all go
through here."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(target: Path, data: bytes) -> None:
    """Temporary file beside ``target``, fsync, rename; the temporary file never outlives an error."""
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
