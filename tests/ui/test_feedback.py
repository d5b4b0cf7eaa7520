"""Caseworkers' reports on wrong answers: stored masked, listed newest first, closed once."""

from __future__ import annotations

from pathlib import Path

from core.records import Answer, Citation
from ui.feedback import close_feedback, feedback_path, list_feedback, report_feedback

ANSWER = Answer(
    question="Borger 010190-1234 er opsagt, hvad er varslet?",
    answer="Opsigelsesvarslet er løbende måned plus én måned.",
    abstained=False,
    period="2023-24",
    citations=(
        Citation(
            1, "rammeaftale-2023-24.txt", "Rammeaftale 2023-24", "2023-24", "13.4 Opsigelsesvarsel", 12, "…"
        ),
    ),
)


def test_a_report_keeps_the_answer_and_masks_personal_data(tmp_path: Path) -> None:
    stored = report_feedback(tmp_path, ANSWER, "  Skriv til jens@example.dk – varslet er 3 måneder  ")
    [listed] = list_feedback(tmp_path)
    assert listed == stored and listed.closed is None
    assert listed.comment == "Skriv til [e-mail] – varslet er 3 måneder"
    assert "010190-1234" not in feedback_path(tmp_path).read_text(encoding="utf-8")
    assert listed.answer.citations == ANSWER.citations and listed.answer.period == "2023-24"


def test_closed_reports_carry_their_outcome_and_the_newest_comes_first(tmp_path: Path) -> None:
    first = report_feedback(tmp_path, ANSWER, "mangler kilden")
    second = report_feedback(tmp_path, ANSWER, "forkert periode")
    close_feedback(tmp_path, first.id, "cap-opsigelsesvarsel")
    listed = list_feedback(tmp_path)
    assert [f.id for f in listed] == [second.id, first.id]
    assert listed[1].closed == "cap-opsigelsesvarsel" and listed[0].closed is None


def test_no_file_no_reports_and_a_cut_line_is_skipped(tmp_path: Path) -> None:
    assert list_feedback(tmp_path) == []
    report_feedback(tmp_path, ANSWER, "mangler noget")
    with feedback_path(tmp_path).open("a", encoding="utf-8") as stream:
        stream.write('{"id": "halv')
    assert len(list_feedback(tmp_path)) == 1
