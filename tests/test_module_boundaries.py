"""The data flows one way: corpus → ingest → Chroma → assistant → app / CLI, and the evals measure
the assistant through its public API. Checked on the source's import statements."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the file (lazy imports in functions count)."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def offenders(folder: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    found = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        bad = sorted(m for m in imported_modules(path) if m.split(".")[0] in forbidden)
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    return found


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("core", ("ingest", "assistant", "evals", "ui", "rammeaftale")),
        ("ingest", ("assistant", "evals", "ui", "rammeaftale")),
        ("assistant", ("evals", "ui", "rammeaftale")),
        ("evals", ("ui", "rammeaftale")),
        ("pages", ("ingest",)),  # the secretariat page runs the test questions: evals is allowed
        ("ui", ("ingest",)),
    ],
)
def test_no_import_runs_against_the_flow(folder: str, forbidden: tuple[str, ...]) -> None:
    assert offenders(folder, forbidden) == {}


def test_the_check_sees_a_lazy_import(tmp_path: Path) -> None:
    source = tmp_path / "lazy.py"
    source.write_text(
        "def f():\n    from evals.cases import load_cases\n    import ingest.indexing\n", encoding="utf-8"
    )
    assert imported_modules(source) == {"evals.cases", "ingest.indexing"}
