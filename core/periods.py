"""Agreement periods: the canonical names and how to recognise them in text.

The Rammeaftaler ran yearly until 2018 and in two-year periods from 2019. Questions name years
("i 2024"), periods ("2023-24", "2023-2024") or agreements ("2017-aftalen"); all map here.
"""

from __future__ import annotations

import re

PERIODS: tuple[str, ...] = ("2017", "2019-20", "2021-22", "2023-24", "2025-26")

_YEAR_TO_PERIOD: dict[int, str] = {
    2017: "2017",
    2019: "2019-20",
    2020: "2019-20",
    2021: "2021-22",
    2022: "2021-22",
    2023: "2023-24",
    2024: "2023-24",
    2025: "2025-26",
    2026: "2025-26",
}

# "2023-24", "2023-2024", "2023 – 2024", "2023/24"; a year inside a name ("DK2020") is no period.
_RANGE = re.compile(r"(?<!\w)(20\d\d)\s*[-–/]\s*(20\d\d|\d\d)(?!\d)")
_YEAR = re.compile(r"(?<!\w)(20\d\d)(?!\d)")
_FROM_TO = re.compile(r"\b(?:fra|from|mellem|between)\s+(20\d\d)\s+(?:til|to|og|and|until)\s+(20\d\d)\b", re.IGNORECASE)


class UnknownPeriodError(ValueError):
    """A period name that is not one of :data:`PERIODS`."""


def normalize_period(value: str) -> str:
    """Canonical period name for user input such as '2023-2024', '2024' or '2017'."""
    text = value.strip()
    if text in PERIODS:
        return text
    found = find_periods(text)
    if len(found) == 1:
        return found[0]
    raise UnknownPeriodError(
        f"Ukendt aftaleperiode: {value!r}. Gyldige perioder: {', '.join(PERIODS)}."
    )


def range_end(start: int, end_text: str) -> int:
    """The last year of a range written "2023-24" or "2023-2024"."""
    return int(end_text) if len(end_text) == 4 else start // 100 * 100 + int(end_text)


def period_for_year(year: int) -> str | None:
    """The agreement period a calendar year belongs to, or None outside the corpus' periods."""
    return _YEAR_TO_PERIOD.get(year)


def find_periods(text: str) -> list[str]:
    """All periods named in ``text``, in order of first mention, without duplicates."""
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _RANGE.finditer(text):
        start = int(match.group(1))
        end_text = match.group(2)
        end = range_end(start, end_text)
        if not 0 < end - start <= 4:
            continue
        spans.append(match.span())
        _add(found, _period_for_range(start, end))
    for match in _YEAR.finditer(text):
        if any(a <= match.start() < b for a, b in spans):
            continue
        _add(found, period_for_year(int(match.group(1))))
    return found


def periods_spanned(text: str) -> list[str]:
    """Every period a text touches, a multi-year range ("2019-2022") counting for each period it
    spans: what a cross-period question ("fra 2019-22 til 2023-24") compares."""
    found: list[str] = []
    for match in _RANGE.finditer(text):
        start, end_text = int(match.group(1)), match.group(2)
        end = range_end(start, end_text)
        if 0 < end - start <= 8:
            for year in range(start, end + 1):
                _add(found, period_for_year(year))
    for match in _FROM_TO.finditer(text):  # "fra 2015 til 2026": every period in between
        for year in range(int(match.group(1)), int(match.group(2)) + 1):
            _add(found, period_for_year(year))
    for period in find_periods(text):
        _add(found, period)
    return sorted(found, key=PERIODS.index)


def periods_after_corpus(text: str) -> list[str]:
    """Agreement periods named in ``text`` ("rammeaftalen for 2027-28") that start after the last
    one the documents hold, when the text names no covered year. A single later year is left
    alone: "hvad afløser takstaftalen fra 2027?" is answered by the current agreement."""
    last = max(_YEAR_TO_PERIOD)
    if any(int(m.group(1)) <= last for m in _YEAR.finditer(text)):
        return []
    return [match.group(0) for match in _RANGE.finditer(text) if int(match.group(1)) > last]


def detect_period(text: str) -> str | None:
    """The single period a question is about, or None when it names none or several."""
    found = find_periods(text)
    return found[0] if len(found) == 1 else None


def _period_for_range(start: int, end: int) -> str | None:
    """A two-year range maps to its period; a longer one (e.g. a takstaftale 2019-2022) to none."""
    if end - start == 1:
        return period_for_year(start) if period_for_year(start) == period_for_year(end) else None
    return None


def _add(found: list[str], period: str | None) -> None:
    if period and period not in found:
        found.append(period)
