"""Reading the project's YAML files (rules, glossary, manifest, cases) with libyaml's parser when
PyYAML was built with it: the pure-Python parser took about 0.5 s of a cold `rammeaftale ask`,
for files read at every start. Same safe constructor, so the same values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # safe: plain data only, never objects


def read_yaml(path: Path) -> Any:
    """The YAML document in ``path`` (None for an empty file); yaml.YAMLError on bad YAML."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LOADER)
