"""Caseworkers' "Svaret er forkert / mangler noget" reports, kept for the secretariat.

A caseworker should not have to know what an eval case is: they say what is wrong, and the
secretariat page lists the reports and turns one into a test case through :mod:`ui.eval_capture`.
Reports are JSON lines under the data dir (append-only, so concurrent sessions never lose one);
a report the secretariat has dealt with gets a closing line instead of an in-place edit. Questions
and comments are masked like the question log: nothing written may hold a CPR number."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.privacy import mask_personal_data
from core.records import Answer, Citation

FILE_NAME = "feedback.jsonl"
_lock = threading.Lock()


@dataclass(frozen=True)
class Feedback:
    """One report: what the caseworker asked, what they got, and what they say is wrong."""

    id: str
    at: str
    comment: str
    answer: Answer
    closed: str | None = None  # what the secretariat did: the saved case's id, or "afvist"


def feedback_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def report_feedback(data_dir: Path, answer: Answer, comment: str) -> Feedback:
    """Store a caseworker's report on ``answer``; personal data is masked before it is written."""
    record = answer.to_dict() | {"question": mask_personal_data(answer.question)}
    feedback = Feedback(
        uuid.uuid4().hex[:12],
        datetime.now(UTC).isoformat(timespec="seconds"),
        mask_personal_data(comment.strip()),
        _answer(record),
    )
    _append(data_dir, {"id": feedback.id, "at": feedback.at, "comment": feedback.comment, "answer": record})
    return feedback


def close_feedback(data_dir: Path, feedback_id: str, outcome: str) -> None:
    """Mark a report as dealt with (``outcome``: the case id it became, or "afvist")."""
    _append(data_dir, {"close": feedback_id, "outcome": outcome})


def list_feedback(data_dir: Path) -> list[Feedback]:
    """All reports, newest first, each with its outcome if the secretariat has closed it."""
    path = feedback_path(data_dir)
    if not path.exists():
        return []
    entries: dict[str, dict] = {}
    closed: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut by a crash; the others are whole
        if "close" in item:
            closed[item["close"]] = item["outcome"]
        elif "id" in item:
            entries[item["id"]] = item
    # Lines are appended in time order, so the file read backwards is newest first.
    return [
        Feedback(e["id"], e["at"], e["comment"], _answer(e["answer"]), closed.get(e["id"]))
        for e in reversed(entries.values())
    ]


def _append(data_dir: Path, item: dict) -> None:
    path = feedback_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock, path.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(item, ensure_ascii=False) + "\n")


def _answer(record: dict) -> Answer:
    """The Answer back from its ``to_dict`` form, so the case draft sees what the chat showed."""
    return Answer(
        question=record["question"],
        answer=record["answer"],
        abstained=record["abstained"],
        period=record.get("period"),
        citations=tuple(Citation(**c) for c in record.get("citations", [])),
        tool=record.get("tool"),
        mode=record.get("mode", "extraktiv"),
        notes=tuple(record.get("notes", [])),
        tool_result=record.get("tool_result"),
        confidence=record.get("confidence", ""),
    )
