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


# Inside assistant/, a question flows calculators -> understanding -> retrieval -> answering -> api;
# the rooms import only down that line, and only api.py and documents.py are the public services.
ROOMS = ("calculators", "understanding", "retrieval", "answering")
SERVICES = ("assistant.api", "assistant.documents")


@pytest.mark.parametrize("room", ROOMS)
def test_assistant_rooms_import_only_rooms_before_them(room: str) -> None:
    later = [f"assistant.{r}" for r in ROOMS[ROOMS.index(room) + 1 :]] + list(SERVICES)
    found = {}
    for path in sorted((ROOT / "assistant" / room).rglob("*.py")):
        bad = sorted(m for m in imported_modules(path) if any(m == x or m.startswith(x + ".") for x in later))
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    assert found == {}


def test_the_question_service_leaves_documents_to_the_document_service() -> None:
    assert not [m for m in imported_modules(ROOT / "assistant" / "api.py") if m.split(".")[0] == "ingest"]


def test_the_check_sees_a_lazy_import(tmp_path: Path) -> None:
    source = tmp_path / "lazy.py"
    source.write_text(
        "def f():\n    from evals.cases import load_cases\n    import ingest.indexing\n", encoding="utf-8"
    )
    assert imported_modules(source) == {"evals.cases", "ingest.indexing"}
