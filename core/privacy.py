"""Keep personal data out of logs. Caseworkers sometimes paste a citizen's CPR number or an
e-mail address into a question; nothing the product writes down may contain them.

:func:`mask_personal_data` runs on every question before it reaches a log line or the opt-in
question log (:func:`log_question`), which the secretariat uses for usage statistics.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

CPR_MASK = "[CPR-nummer]"
EMAIL_MASK = "[e-mail]"

# ddmmyy-xxxx, ddmmyyxxxx, ddmmyy xxxx; not inside a longer number or an amount like 1.010.901.234.
_CPR = re.compile(r"(?<!\d)(?<!\d[.,])(\d{2})(\d{2})(\d{2})[-‐–—\s]?(\d{4})(?!\d|[.,]\d)")
_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")

_log_lock = threading.Lock()


def find_cpr_numbers(text: str) -> list[str]:
    """CPR-looking numbers whose first six digits are a real date (so 123456-7890 is not one)."""
    return [match.group(0) for match in _CPR.finditer(text or "") if _plausible_cpr(match)]


def contains_cpr(text: str) -> bool:
    return bool(find_cpr_numbers(text))


def mask_personal_data(text: str) -> str:
    """``text`` with CPR numbers and e-mail addresses replaced by placeholders."""
    text = _EMAIL.sub(EMAIL_MASK, text or "")
    return _CPR.sub(lambda m: CPR_MASK if _plausible_cpr(m) else m.group(0), text)


def _plausible_cpr(match: re.Match[str]) -> bool:
    """A date in either century: the seventh digit's century rule is not needed to mask safely,
    and a 29 February is accepted if it exists in 19yy or 20yy."""
    day, month, year = (int(match.group(i)) for i in (1, 2, 3))
    for century in (1900, 2000):
        try:
            date(century + year, month, day)
            return True
        except ValueError:
            continue
    return False


@dataclass(frozen=True)
class QuestionLogEntry:
    """One line of the question log: enough for statistics, nothing that identifies anyone."""

    question: str  # masked again when written, whatever the caller passed
    period: str | None
    abstained: bool
    tool: str | None
    latency_ms: int


def log_question(path: Path, entry: QuestionLogEntry) -> None:
    """Append one entry to the JSONL log. The question is masked here, so no caller can write a
    raw question by mistake; the lock keeps lines from concurrent sessions whole."""
    record = {"at": datetime.now(UTC).isoformat(timespec="seconds")} | asdict(entry)
    record["question"] = mask_personal_data(entry.question)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with _log_lock, path.open("a", encoding="utf-8") as stream:
        stream.write(line)
