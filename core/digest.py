"""A digest of code: what a cached product of that code (chunks, a built index) is keyed by, so a
change to the code rebuilds it instead of serving what the old code made."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType


def source_digest(*modules: ModuleType) -> str:
    """sha256 (hex) of the modules' source files, in the order given."""
    return hashlib.sha256(b"".join(Path(str(module.__file__)).read_bytes() for module in modules)).hexdigest()
